import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'operation-id-casing';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/other.yaml:18:7 operation-id-casing",
    "data/api/test/things.yaml:18:7 operation-id-casing"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("operationId \"PostThing\" is not lowerCamelCase."), messages[0]);
  assert.ok(messages[1]!.startsWith("operationId \"post_thing\" is not lowerCamelCase."), messages[1]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
