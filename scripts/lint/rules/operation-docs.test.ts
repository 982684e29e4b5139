import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'operation-docs';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/things.yaml:18:7 operation-docs",
    "data/api/test/things.yaml:18:7 operation-docs",
    "data/api/test/things.yaml:46:9 operation-docs"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("POST /_matrix/client/v3/rooms/{roomId}/thing has no summary."), messages[0]);
  assert.ok(messages[1]!.startsWith("POST /_matrix/client/v3/rooms/{roomId}/thing has no tags."), messages[1]);
  assert.ok(messages[2]!.startsWith("Response 200 of POST /_matrix/client/v3/rooms/{roomId}/thing"), messages[2]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
