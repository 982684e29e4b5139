import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'example-valid';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/things.yaml:15:20 example-valid",
    "data/api/test/things.yaml:27:28 example-valid",
    "data/api/test/things.yaml:31:28 example-valid",
    "data/api/test/things.yaml:34:15 example-valid",
    "data/api/test/things.yaml:49:21 example-valid",
    "data/event-schemas/examples/m.thing.json:4:5 example-valid"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("Example of POST /thing/{count} \u203a parameter count: \"seven\" is"), messages[0]);
  assert.ok(messages[1]!.startsWith("Example of POST /thing/{count} \u203a request body (application/j"), messages[1]);
  assert.ok(messages[2]!.startsWith("Example of POST /thing/{count} \u203a request body (application/j"), messages[2]);
  assert.ok(messages[3]!.startsWith("Example of POST /thing/{count} \u203a request body: missing requi"), messages[3]);
  assert.ok(messages[4]!.startsWith("Example of POST /thing/{count} \u203a response 200 example \"first"), messages[4]);
  assert.ok(messages[5]!.startsWith("Example of event example m.thing at /content/size: \"large\" i"), messages[5]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
