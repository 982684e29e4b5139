import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'duplicate-route';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/spaced.yaml:17:5 duplicate-route",
    "data/api/test/things.yaml:17:5 duplicate-route"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("POST \"/_matrix/client/v3/rooms/{roomId}/thing \" is already d"), messages[0]);
  assert.ok(messages[1]!.startsWith("POST /_matrix/client/v3/rooms/{roomId}/thing is already defi"), messages[1]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
