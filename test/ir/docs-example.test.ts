import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateIr } from '../../src/ir/validate-ir.js';
import { tempDir, writeRaw } from './fixtures.js';

/** The example in docs/ir.md must stay a valid workload. */
test('the docs/ir.md example validates', async () => {
  const doc = readFileSync(new URL('../../docs/ir.md', import.meta.url), 'utf8');
  const example = doc.slice(doc.indexOf('## Example'));
  const block = /```json\n([\s\S]*?)```/.exec(example)?.[1];
  assert.ok(block);
  // Records are wrapped for reading: a line starting with a space continues the previous record.
  const records = block
    .replace(/\n (?=\S)/g, '')
    .trim()
    .split('\n');
  assert.match(records.pop()!, /"type":"end"/);
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'example.smbw');
    writeRaw(
      path,
      records.map((r) => JSON.parse(r) as object),
    );
    assert.deepEqual((await validateIr(path)).errors, []);
  } finally {
    cleanup();
  }
});
