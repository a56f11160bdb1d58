/**
 * The search-pattern rules its callers rely on: wildcard detection (anonymizer, QUERY_DIRECTORY
 * lifter, dependency tracker, model learn) and the name match the model synthesiser predicts a
 * listing's status with (directory-match.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasWildcard, searchPatternRegex } from '../../../src/smb2/fscc/search-pattern.js';

test('hasWildcard: each of * ? < > " makes a pattern, anywhere in it', () => {
  for (const p of ['*', '?', '<', '>', '"', '*.txt', 'a?c', 'name<', '>x', 'file"txt', 'a*b?c']) {
    assert.equal(hasWildcard(p), true, p);
  }
});

test('hasWildcard: a plain name, the empty pattern and regex syntax are not wildcards', () => {
  for (const p of ['', 'report.docx', '.', '..', 'a+b(1)[2]{3}^$|\\.txt', 'dir\\file', 'é.txt']) {
    assert.equal(hasWildcard(p), false, p);
  }
});

function matches(pattern: string, name: string): boolean {
  return searchPatternRegex(pattern).test(name);
}

test('* and < match any run of characters, the empty one and periods included', () => {
  for (const p of ['*', '<']) {
    for (const name of ['', '.', '..', 'a', 'a.b.c', 'no extension']) assert.equal(matches(p, name), true);
  }
  assert.equal(matches('*.txt', 'notes.txt'), true);
  assert.equal(matches('*.txt', '.txt'), true);
  assert.equal(matches('*.txt', 'notes.txt.bak'), false);
  assert.equal(matches('<.txt', 'a.b.txt'), true);
  assert.equal(matches('a*', 'b'), false);
});

test('? and > match exactly one character', () => {
  for (const p of ['?', '>']) {
    assert.equal(matches(p, 'a'), true);
    assert.equal(matches(p, '.'), true);
    assert.equal(matches(p, ''), false);
    assert.equal(matches(p, 'ab'), false);
  }
  assert.equal(matches('file?.doc', 'file1.doc'), true);
  assert.equal(matches('file>.doc', 'file.doc'), false);
});

test('" matches a period and nothing else (not the end of the name)', () => {
  assert.equal(matches('a"b', 'a.b'), true);
  assert.equal(matches('a"b', 'axb'), false);
  assert.equal(matches('a"', 'a'), false);
  assert.equal(matches('"', '.'), true);
});

test('the whole name must match, case-insensitively', () => {
  assert.equal(matches('Report.DOCX', 'report.docx'), true);
  assert.equal(matches('*.TXT', 'a.txt'), true);
  assert.equal(matches('report', 'report.docx'), false);
  assert.equal(matches('docx', 'report.docx'), false);
});

test('every other character is literal, regex syntax included', () => {
  const literal = 'a+b(1)[2]{3}^$|\\.txt';
  assert.equal(matches(literal, literal), true);
  assert.equal(matches('a.b', 'axb'), false);
  assert.equal(matches('a+b', 'aab'), false);
  assert.equal(matches('[ab]', 'a'), false);
  assert.equal(matches('(x|y)', 'x'), false);
  assert.equal(matches('*(1)?', 'copy (1)a'), true);
});

test('a pattern that lists the . entry, as the synthesiser asks of a non-root directory', () => {
  for (const p of ['*', '<', '?', '>', '"', '.', '*.*', '<.<']) assert.equal(matches(p, '.'), true, p);
  for (const p of ['*.txt', 'a*', '??', 'x']) assert.equal(matches(p, '.'), false, p);
});
