import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../../src/cli/main.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { fixtureResults } from '../../observe/report-fixture.js';
import { chartsInDom, chromiumSkipReason, dumpDom, pngSize, screenshot } from './headless-chromium.js';

const CHARTS = ['throughput', 'latency', 'latency-distribution', 'data-rate'];

describe('HTML report in headless Chromium', { skip: chromiumSkipReason() }, () => {
  let dir: string;
  const quiet = { out: () => undefined, err: () => undefined };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smbench-report-e2e-'));
    await writeFile(join(dir, 'shard-0.json'), JSON.stringify(fixtureResults({ meta: { shard: '0/2' } })));
    await writeFile(
      join(dir, 'shard-1.json'),
      JSON.stringify(fixtureResults({ opsPerSecond: 25, meta: { shard: '1/2' } })),
    );
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('smbench report: every chart is drawn with points and made interactive by the script', async () => {
    const html = join(dir, 'report.html');
    assert.equal(await main(['report', join(dir, 'shard-0.json'), '-o', html], quiet), ExitCode.OK);
    const dom = await dumpDom(html);
    assert.match(dom, /<html[^>]*data-report-ready="true"/, 'the inline script ran');
    const charts = chartsInDom(dom);
    for (const name of CHARTS) {
      const chart = charts.get(name);
      assert.ok(chart, `chart ${name} is in the DOM`);
      assert.equal(chart.interactive, true, `${name} got its hover handler`);
      assert.ok(chart.points.length >= 1 && chart.points.every((n) => n > 1), `${name}: ${chart.points}`);
    }
    assert.match(dom, /<table data-table="per-op">/);
    assert.match(dom, /class="tooltip"/, 'tooltips were created by the script');
  });

  test('two shards: merged first, and the screenshot is a real page', async () => {
    const html = join(dir, 'merged.html');
    const code = await main(
      ['report', join(dir, 'shard-0.json'), join(dir, 'shard-1.json'), '-o', html],
      quiet,
    );
    assert.equal(code, ExitCode.OK);
    const text = await readFile(html, 'utf8');
    assert.match(text, /merged from 2 results/);
    const png = join(dir, 'merged.png');
    await screenshot(html, png);
    const bytes = await readFile(png);
    assert.deepEqual(pngSize(bytes), { width: 1200, height: 2400 });
    // A blank page compresses to a few KB; lines, text and tables do not.
    assert.ok(bytes.length > 30_000, `screenshot is ${bytes.length} bytes`);
  });

  test('report merge writes a results document the report reads back', async () => {
    const merged = join(dir, 'merged.json');
    const code = await main(
      ['report', 'merge', join(dir, 'shard-0.json'), join(dir, 'shard-1.json'), '-o', merged],
      quiet,
    );
    assert.equal(code, ExitCode.OK);
    const doc = JSON.parse(await readFile(merged, 'utf8')) as { meta: Record<string, unknown> };
    assert.deepEqual(doc.meta['shards'], ['0/2', '1/2']);
    assert.equal(await main(['report', merged, '-o', join(dir, 'm.html')], quiet), ExitCode.OK);
    assert.equal(await main(['report', 'merge', merged, merged], quiet), ExitCode.USAGE);
  });
});
