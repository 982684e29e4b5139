import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'yaml-duplicate-key';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/things.yaml:22:7 yaml-duplicate-key"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("Duplicate key \"summary\": the later value silently replaces t"), messages[0]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
