// Runs node's built-in test runner over test/**/*.test.ts through tsx.
// Node 20's --test does not expand globs, so the file list is built here.
// Usage: node scripts/run-tests.mjs [unit|e2e] [extra node --test args]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const [suite, ...extra] = process.argv.slice(2);

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let files = collect('test').sort();
if (suite === 'unit') files = files.filter((f) => !f.startsWith(join('test', 'e2e')));
else if (suite === 'e2e') files = files.filter((f) => f.startsWith(join('test', 'e2e')));
else if (suite) files = files.filter((f) => f.includes(suite));

if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', ...extra, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
