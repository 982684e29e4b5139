import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, where } from '../../testing/support.js';

const RULE = 'yaml-syntax';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/binary.yaml:1:1 yaml-syntax",
    "data/api/test/empty.yaml:1:1 yaml-syntax",
    "data/api/test/malformed.yaml:4:11 yaml-syntax"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("This is a binary file, not YAML or JSON text."), messages[0]);
  assert.ok(messages[1]!.startsWith("The file is empty: it holds no YAML or JSON value."), messages[1]);
  assert.ok(messages[2]!.startsWith("YAML syntax error: bad indentation of a mapping entry."), messages[2]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});
