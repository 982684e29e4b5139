import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'security-defined';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/things.yaml:23:11 security-defined"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("Security scheme \"bearerToken\" is not defined in data/api/tes"), messages[0]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
