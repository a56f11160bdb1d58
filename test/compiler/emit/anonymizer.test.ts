import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Anonymizer } from '../../../src/compiler/emit/anonymizer.js';
import { isIrPath } from '../../../src/ir/index.js';

describe('Anonymizer', () => {
  test('keeps depth and extensions, hides names, and is case-insensitive', () => {
    const a = new Anonymizer('salt');
    const p = a.path('Projects/Q3/Plan.DOCX');
    assert.equal(p.split('/').length, 3);
    assert.match(p, /^n[0-9a-f]{16}\/n[0-9a-f]{16}\/n[0-9a-f]{16}\.docx$/);
    assert.equal(a.path('projects/q3/plan.docx'), p);
    assert.ok(isIrPath(p));
    assert.equal(a.path(''), '');
  });

  test('is stable for a salt and differs across salts', () => {
    assert.equal(new Anonymizer('k').component('secret.txt'), new Anonymizer('k').component('secret.txt'));
    assert.notEqual(new Anonymizer('k').component('secret.txt'), new Anonymizer('j').component('secret.txt'));
  });

  test('patterns keep only wildcard shape', () => {
    const a = new Anonymizer('k');
    assert.equal(a.pattern('*'), '*');
    assert.equal(a.pattern('*.txt'), '*.txt');
    assert.equal(a.pattern('report*.txt'), '*');
    assert.equal(a.pattern('final.bin'), a.component('final.bin'));
  });

  test('user names are numbered in order of appearance', () => {
    const a = new Anonymizer();
    assert.equal(a.userName('CONTOSO\\alice'), 'ANON\\user0');
    assert.equal(a.userName('CONTOSO\\bob'), 'ANON\\user1');
    assert.equal(a.userName('contoso\\ALICE'), 'ANON\\user0');
  });
});
