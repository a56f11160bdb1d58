/**
 * Issue #13.1/#13.2 without a server: learn a model from the bundled sample, synthesise 1,000
 * users, and check that the result is a valid workload whose distributions are within stated
 * bounds of the source; the same seed gives the same bytes, another seed another workload.
 */
import assert from 'node:assert/strict';
import { createHash, type Hash } from 'node:crypto';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { readIr, validateIr } from '../../src/ir/index.js';
import { compareWorkloads, learnModel, readModel, synthesizeWorkload } from '../../src/model/index.js';
import type { UserModel } from '../../src/model/index.js';
import { REPO_ROOT } from '../support/shared-pcaps.js';

const SAMPLE = join(REPO_ROOT, 'samples', 'office-mix.pcap');

/** Bounds this test holds the synthetic workload to (docs/model.md quotes them). */
export const FIDELITY_BOUNDS: Readonly<Record<string, number>> = {
  'op mix': 0.05,
  'think time': 0.05,
  'read size': 0.05,
  'write size': 0.05,
  'initial file size': 0.05,
  'ops per file session': 0.15,
};

function quiet(): { out: (s: string) => void; err: (s: string) => void; text: () => string } {
  let text = '';
  return { out: (s) => (text += s), err: (s) => (text += s), text: () => text };
}

describe('model learn + synth on the bundled sample', () => {
  let dir: string;
  let source: string;
  let model: UserModel;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smbench-model-'));
    source = join(dir, 'office.smbw');
    assert.equal(await main(['compile', SAMPLE, '-o', source, '-q'], quiet()), ExitCode.OK);
    const ir = await readIr(source);
    model = await learnModel(ir);
    await ir.close();
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the model holds distributions, not paths or names', async () => {
    assert.equal(model.format, 'smbench-model');
    assert.equal(model.version, 1);
    assert.equal(model.source.users, 3);
    assert.ok(model.chain['^']!.length > 0);
    assert.ok(Object.keys(model.chain).some((s) => s.startsWith('sibling:')));
    assert.ok(model.templates.create['new']!.length > 0);
    const text = JSON.stringify(model);
    for (const secret of ['alice', 'handbook', 'sheet-']) assert.ok(!text.includes(secret), secret);
  });

  test('1,000 synthetic users: valid, distinct, and within the stated bounds of the source', async () => {
    const out = join(dir, 'synth-1000.smbw');
    const result = await synthesizeWorkload(model, { users: 1000, seed: 11, output: out });
    assert.equal(result.users, 1000);
    const validation = await validateIr(out);
    assert.deepEqual(validation.errors.slice(0, 3), []);
    const ir = await readIr(out);
    assert.equal(ir.users.length, 1000);
    // Distinct users, not copies of three traces: (almost) every user's whole script differs.
    const scripts = new Map<string, Hash>();
    for await (const op of ir.ops()) {
      let h = scripts.get(op.user);
      if (!h) scripts.set(op.user, (h = createHash('sha256')));
      h.update(`${op.op}:${'path' in op ? op.path : ''}:${'length' in op ? op.length : ''}:${op.t}|`);
    }
    const distinct = new Set([...scripts.values()].map((h) => h.digest('hex'))).size;
    assert.ok(distinct >= 990, String(distinct));
    const c = await compareWorkloads(source, out);
    for (const d of c.distances) {
      const bound = FIDELITY_BOUNDS[d.name]!;
      assert.ok(d.distance <= bound, `${d.name}: ${d.metric} ${d.distance} > ${bound}`);
      assert.ok(d.withinNoise, `${d.name} beyond noise`);
    }
  });

  test('the same seed gives the same bytes; another seed another workload', async () => {
    const a = join(dir, 'a.smbw');
    const b = join(dir, 'b.smbw');
    const c = join(dir, 'c.smbw');
    const opts = { users: 100, durationUs: 200_000 };
    const ra = await synthesizeWorkload(model, { ...opts, seed: 3, output: a });
    const rb = await synthesizeWorkload(model, { ...opts, seed: 3, output: b });
    const rc = await synthesizeWorkload(model, { ...opts, seed: 4, output: c });
    assert.equal(ra.workloadId, rb.workloadId);
    assert.deepEqual(await readFile(a), await readFile(b));
    assert.notEqual(ra.workloadId, rc.workloadId);
    // No session starts after the duration; every one still ends with its close.
    const ir = await readIr(a);
    const open = new Set<string>();
    for await (const op of ir.ops()) {
      if (op.op === 'create' && op.handle !== undefined) {
        assert.ok(op.t < 200_000 + 1_000_000, String(op.t));
        open.add(`${op.user}/${op.handle}`);
      } else if (op.op === 'close') open.delete(`${op.user}/${op.handle}`);
    }
    assert.equal(open.size, 0);
  });

  test('through the CLI: learn, synth, inspect --compare --json', async () => {
    const m = join(dir, 'm.json');
    const w = join(dir, 'cli.smbw');
    assert.equal(await main(['model', 'learn', source, '-o', m], quiet()), ExitCode.OK);
    assert.deepEqual(await readModel(m), JSON.parse(JSON.stringify(model)));
    const synth = ['model', 'synth', m, '--users', '20', '--duration', '100ms', '--seed', '9', '-o', w];
    assert.equal(await main(synth, quiet()), ExitCode.OK);
    assert.equal((await validateIr(w)).ok, true);
    assert.equal(await main(['model', 'synth', m, '-o', w, '--users', '0'], quiet()), ExitCode.USAGE);
    assert.equal(await main(['model', 'frobnicate'], quiet()), ExitCode.USAGE);

    // inspect and model compare print to stdout; capture it.
    const stdout = process.stdout.write.bind(process.stdout);
    let printed = '';
    process.stdout.write = ((s: string) => ((printed += s), true)) as typeof process.stdout.write;
    try {
      assert.equal(await main(['inspect', w, '--compare', source, '--json'], quiet()), ExitCode.OK);
      const json = JSON.parse(printed) as { comparison: { distances: { name: string; distance: number }[] } };
      assert.deepEqual(
        json.comparison.distances.map((d) => d.name),
        ['op mix', 'think time', 'read size', 'write size', 'initial file size', 'ops per file session'],
      );
      printed = '';
      assert.equal(await main(['model', 'compare', source, w], quiet()), ExitCode.OK);
      assert.match(printed, /think time +ks +\d\.\d{3}/);
    } finally {
      process.stdout.write = stdout;
    }
  });

  test('a damaged model is refused with one clear line', async () => {
    const bad = join(dir, 'bad.json');
    const out = quiet();
    await writeFile(bad, JSON.stringify({ ...model, version: 9 }));
    assert.equal(await main(['model', 'synth', bad, '-o', join(dir, 'x.smbw')], out), ExitCode.FAILURE);
    assert.match(out.text(), /bad\.json: not a valid smbench model: version 9 is not supported/);
    const broken = { ...model, sizes: { ...model.sizes, read: { count: 1, q: [3, 2] } } };
    await writeFile(bad, JSON.stringify(broken));
    await assert.rejects(readModel(bad), /sizes\.read q must have 0 or 101 points/);
    await writeFile(bad, '{not json');
    await assert.rejects(readModel(bad), /invalid JSON/);
  });
});
