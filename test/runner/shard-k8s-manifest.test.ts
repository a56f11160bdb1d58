/**
 * The Kubernetes Indexed Job (deploy/k8s) stays in step with the CLI: every flag its script passes
 * to `smbench run` exists, the shard count matches the Job's completions and parallelism, and
 * every pod is scraped. (No cluster here: the manifest is checked as text.)
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { runCommand } from '../../src/cli/commands/run.js';

const manifestUrl = new URL('../../deploy/k8s/smbench-indexed-job.yaml', import.meta.url);

test('the Indexed Job runs shard $(index)/N of one run, aligned, checkpointed and scraped', async () => {
  const text = await readFile(manifestUrl, 'utf8');
  const field = (name: string): string => {
    const m = new RegExp(`^\\s*${name}:\\s*"?([^"\\n]+)"?$`, 'm').exec(text);
    assert.ok(m, `${name} is set`);
    return m[1]!.trim();
  };
  assert.equal(field('completionMode'), 'Indexed');
  const shards = field('SHARDS');
  assert.equal(field('completions'), shards);
  assert.equal(field('parallelism'), shards);
  assert.match(text, /prometheus\.io\/scrape: "true"/);
  assert.match(text, /prometheus\.io\/port: "9100"/);
  assert.match(text, /--metrics-port 9100 --metrics-host 0\.0\.0\.0/);
  assert.match(text, /shard="\$\{JOB_COMPLETION_INDEX\}\/\$\{SHARDS\}"/);
  assert.match(text, /--start-at "\$START_AT"/);
  assert.match(text, /--resume \$checkpoint/);
  assert.match(text, /secretRef: \{ name: smbench-credentials \}/);

  // Every long flag in the pod's script and in RUN_FLAGS is one `smbench run` knows.
  const script = text.slice(text.indexOf('exec smbench run'));
  const flags = new Set([...script.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]!));
  for (const f of field('RUN_FLAGS').matchAll(/--([a-z][a-z-]*)/g)) flags.add(f[1]!);
  flags.add('prepare').add('checkpoint').add('resume');
  for (const flag of flags) {
    assert.match(runCommand.usage, new RegExp(`--${flag}\\b`), `smbench run has --${flag}`);
  }
});
