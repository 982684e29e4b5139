import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'version-annotations';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/definitions/thing.yaml:6:5 version-annotations",
    "data/api/test/definitions/thing.yaml:9:5 version-annotations",
    "data/api/test/definitions/thing.yaml:12:5 version-annotations",
    "data/api/test/definitions/thing.yaml:15:5 version-annotations",
    "data/api/test/definitions/thing.yaml:19:7 version-annotations"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("x-addedInMatrixVersion 1.1 is not a Matrix version like \"1.2"), messages[0]);
  assert.ok(messages[1]!.startsWith("x-addedInMatrixVersion \"1.3\" is later than the spec's versio"), messages[1]);
  assert.ok(messages[2]!.startsWith("x-addedInMatrixVersion \"v1.1\" is not a Matrix version like \""), messages[2]);
  assert.ok(messages[3]!.startsWith("x-changedInMatrixVersion must map versions to notes, e.g. {\""), messages[3]);
  assert.ok(messages[4]!.startsWith("x-changedInMatrixVersion key \"2.0\" is later than the spec's "), messages[4]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
