import { test } from 'node:test';
import assert from 'node:assert/strict';
import { characterClassCount, generatePassword } from '../../src/control/password-generator.js';

test('generated passwords use all four classes and no CSV/shell-hostile characters', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 500; i++) {
    const pw = generatePassword();
    assert.equal(pw.length, 20);
    assert.equal(characterClassCount(pw), 4, pw);
    assert.doesNotMatch(pw, /[,"'\\\s]/);
    seen.add(pw);
  }
  assert.equal(seen.size, 500);
});

test('length is honoured and bounded', () => {
  assert.equal(generatePassword(8).length, 8);
  assert.equal(generatePassword(64).length, 64);
  assert.throws(() => generatePassword(7), RangeError);
  assert.throws(() => generatePassword(1000), RangeError);
});

test('character classes are counted as AD counts them', () => {
  assert.equal(characterClassCount('abcdefgh'), 1);
  assert.equal(characterClassCount('Abcdefg1'), 3);
  assert.equal(characterClassCount('Ab1!'), 4);
});
