import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'ref-resolves';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/definitions/a.yaml:1:1 ref-resolves",
    "data/api/test/things.yaml:15:17 ref-resolves",
    "data/api/test/things.yaml:21:17 ref-resolves",
    "data/api/test/things.yaml:29:17 ref-resolves"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("This $ref starts a cycle that never reaches a value: data/ap"), messages[0]);
  assert.ok(messages[1]!.startsWith("\"definitions/missing.yaml\" points at data/api/test/definitio"), messages[1]);
  assert.ok(messages[2]!.startsWith("\"definitions/thing.yaml#/properties/nope\" points at /propert"), messages[2]);
  assert.ok(messages[3]!.startsWith("\"../../examples-missing/thing.json\" points at data/examples-"), messages[3]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
