import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode, SmbBenchError } from '../../src/errors/smbench-error.js';
import { normalizeRunRoot, UserPaths } from '../../src/runner/user-paths.js';

test('IR paths land under <run-root>/<user>/ with backslashes on the wire', () => {
  const p = new UserPaths('smbench-run', 'u3.1');
  assert.equal(p.root, 'smbench-run/u3.1');
  assert.equal(p.slashPath(''), 'smbench-run/u3.1');
  assert.equal(p.slashPath('projects/plan.docx'), 'smbench-run/u3.1/projects/plan.docx');
  assert.equal(p.wirePath('projects/plan.docx'), 'smbench-run\\u3.1\\projects\\plan.docx');
  assert.equal(p.wirePath(''), 'smbench-run\\u3.1');
});

test('paths that could escape the user directory are refused', () => {
  const p = new UserPaths('root', 'u0');
  for (const bad of ['../u1/x', 'a/../../u1', '/abs', 'a\\b', 'a//b', 'x/.', 'trailing/']) {
    assert.throws(
      () => p.wirePath(bad),
      (e: unknown) => e instanceof SmbBenchError && e.code === ErrorCode.IR,
      bad,
    );
  }
});

test('two users never share a path', () => {
  const a = new UserPaths('r', 'u0');
  const b = new UserPaths('r', 'u0.1');
  const c = new UserPaths('r', 'u01');
  for (const path of ['', 'x', 'docs/a.txt']) {
    assert.equal(a.contains(a.slashPath(path)), true);
    assert.equal(b.contains(a.slashPath(path)), false);
    assert.equal(c.contains(a.slashPath(path)), false);
    assert.equal(a.contains(b.slashPath(path)), false);
  }
});

test('run roots are normalised and checked', () => {
  assert.equal(normalizeRunRoot('/bench/run1/'), 'bench/run1');
  assert.equal(normalizeRunRoot('a\\b'), 'a/b');
  assert.throws(() => normalizeRunRoot(''), /must not be empty/);
  assert.throws(() => normalizeRunRoot('a/../b'), SmbBenchError);
  assert.throws(() => new UserPaths('r', 'a/b'), SmbBenchError);
  assert.throws(() => new UserPaths('r', '..'), SmbBenchError);
});

test('streams keep their colon: a share-root stream is a stream of the user root directory', () => {
  const paths = new UserPaths('r', 'u0');
  assert.equal(paths.slashPath(':AFP_AfpInfo'), 'r/u0:AFP_AfpInfo');
  assert.equal(
    paths.wirePath('docs/a.txt:com.apple.TextEncoding'),
    'r\\u0\\docs\\a.txt:com.apple.TextEncoding',
  );
  assert.equal(paths.contains(paths.slashPath(':AFP_AfpInfo')), true);
  assert.equal(new UserPaths('r', 'u0.1').contains(paths.slashPath(':AFP_AfpInfo')), false);
});
