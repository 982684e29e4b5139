import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixtureTests, tempTree, where } from '../../testing/support.js';

ruleFixtureTests('known-format', [
  ["data/api/test/definitions/thing.yaml:6:5", "format \"mx-user-identifier\" is not defined in data/string-fo"],
  ["data/api/test/definitions/thing.yaml:9:5", "x-pattern-format \"mx-member\" is not defined in data/string-f"],
  ["data/string-formats.yaml:6:3", "String format \"mx-broken\" has no url."],
  ["data/string-formats.yaml:7:3", "The regex of string format \"mx-broken\" cannot be used: it is not a valid"],
]);

test(`known-format: a tree without data/string-formats.yaml still lints, knowing only JSON Schema's own formats`, async () => {
  const { root, cleanup } = tempTree({
    'data/api/t/definitions/thing.yaml': 'title: Thing\ntype: object\nproperties:\n  home:\n    type: string\n    format: uri\n  owner:\n    type: string\n    format: mx-user-id\n',
  });
  try {
    const found = await lint(root, 'known-format');
    assert.deepEqual(where(found), ['data/api/t/definitions/thing.yaml:9:5 known-format']);
    assert.match(found[0]!.hint!, /no data\/string-formats\.yaml/);
  } finally { cleanup(); }
});
