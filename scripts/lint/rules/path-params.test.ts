import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'path-params';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/things.yaml:17:5 path-params",
    "data/api/test/things.yaml:26:11 path-params"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("POST /_matrix/client/v3/rooms/{roomId}/thing: \"{roomId}\" is "), messages[0]);
  assert.ok(messages[1]!.startsWith("Path parameter \"room_id\" does not appear in the path /_matri"), messages[1]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
