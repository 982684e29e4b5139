import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'openapi-structure';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/legacy/old.yaml:9:9 openapi-structure",
    "data/api/test/definitions/unreferenced.yaml:2:1 openapi-structure",
    "data/api/test/definitions/unreferenced.yaml:3:1 openapi-structure",
    "data/api/test/notes.yaml:1:1 openapi-structure",
    "data/api/test/things.yaml:2:1 openapi-structure",
    "data/api/test/things.yaml:7:7 openapi-structure"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("paths./thing.get.responses.200: missing required property \"d"), messages[0]);
  assert.ok(messages[1]!.startsWith("Not a valid JSON Schema (2020-12) at type: must be equal to "), messages[1]);
  assert.ok(messages[2]!.startsWith("Not a valid JSON Schema (2020-12) at properties: must be obj"), messages[2]);
  assert.ok(messages[3]!.startsWith("data/api/test/notes.yaml is in an API folder but is not an O"), messages[3]);
  assert.ok(messages[4]!.startsWith("info: missing required property \"version\" (OpenAPI 3.1)."), messages[4]);
  assert.ok(messages[5]!.startsWith("paths./thing.get.operationId: must be string (OpenAPI 3.1)."), messages[5]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
