import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'object-title';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/definitions/shared.yaml:2:1 object-title",
    "data/api/test/things.yaml:16:17 object-title",
    "data/api/test/things.yaml:23:25 object-title"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("This object schema (data/api/test/definitions/shared.yaml) h"), messages[0]);
  assert.ok(messages[1]!.startsWith("This object schema (GET /thing \u203a response 200 (application/j"), messages[1]);
  assert.ok(messages[2]!.startsWith("This object schema (GET /thing \u203a response 200 (application/j"), messages[2]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
