import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixture, tempTree, where } from '../../testing/support.js';

const RULE = 'known-format';

test(`${RULE}: flags each problem of the failing fixture once, where it is`, async () => {
  const found = await lint(ruleFixture(RULE, 'fail'), RULE);
  assert.deepEqual(where(found), [
    "data/api/test/definitions/thing.yaml:6:5 known-format",
    "data/api/test/definitions/thing.yaml:9:5 known-format",
    "data/string-formats.yaml:6:3 known-format",
    "data/string-formats.yaml:7:3 known-format"
  ]);
  const messages = found.map((d) => d.message);
  assert.ok(messages[0]!.startsWith("format \"mx-user-identifier\" is not defined in data/string-fo"), messages[0]);
  assert.ok(messages[1]!.startsWith("x-pattern-format \"mx-member\" is not defined in data/string-f"), messages[1]);
  assert.ok(messages[2]!.startsWith("String format \"mx-broken\" has no url."), messages[2]);
  assert.ok(messages[3]!.startsWith("The regex of string format \"mx-broken\" is not a valid regula"), messages[3]);
  assert.ok(found.every((d) => d.severity === 'error'));
});

test(`${RULE}: reports nothing on the passing fixture`, async () => {
  assert.deepEqual(where(await lint(ruleFixture(RULE, 'pass'), RULE)), []);
});

test(`${RULE}: a tree without data/string-formats.yaml still lints, knowing only JSON Schema's own formats`, async () => {
  const { root, cleanup } = tempTree({
    'data/api/t/definitions/thing.yaml': 'title: Thing\ntype: object\nproperties:\n  home:\n    type: string\n    format: uri\n  owner:\n    type: string\n    format: mx-user-id\n',
  });
  try {
    const found = await lint(root, RULE);
    assert.deepEqual(where(found), ['data/api/t/definitions/thing.yaml:9:5 known-format']);
    assert.match(found[0]!.hint!, /no data\/string-formats\.yaml/);
  } finally { cleanup(); }
});
