import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, REPO, ruleFixture } from '../../testing/support.js';
import { RULES } from './index.js';

test('every rule has its module, its test, a failing and a passing fixture, and a README row', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const listed = cli(['lint', '--list-rules']).stdout;
  assert.equal(listed.trim().split('\n').length, RULES.length);
  for (const rule of RULES) {
    assert.ok(existsSync(join(REPO, 'scripts', 'lint', 'rules', `${rule.id}.ts`)), `${rule.id}.ts`);
    assert.ok(existsSync(join(REPO, 'scripts', 'lint', 'rules', `${rule.id}.test.ts`)), `${rule.id}.test.ts`);
    assert.ok(existsSync(ruleFixture(rule.id, 'fail')), `${rule.id} failing fixture`);
    assert.ok(existsSync(ruleFixture(rule.id, 'pass')), `${rule.id} passing fixture`);
    assert.ok(readme.includes(`| \`${rule.id}\` |`), `README row for ${rule.id}`);
    assert.ok(listed.includes(rule.id), `--list-rules names ${rule.id}`);
  }
  assert.equal(new Set(RULES.map((r) => r.id)).size, RULES.length, 'rule ids are unique');
});
