import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lint, ruleFixtureTests, tempTree } from '../../testing/support.js';

// The passing fixture holds what must stay silent: properties brought in through allOf, pattern
// properties, additionalProperties schemas, `properties: {}` (any content), an extra property
// that additionalProperties: false forbids (example-valid's finding), an alternative the value
// matches ambiguously, and a recursive schema with a nested example.
ruleFixtureTests('example-undeclared-property', [
  ["data/api/test/rooms.yaml:22:15", "Example of POST /rooms \u203a request body: property \"romo_id\" is not declared by its schema."],
  ["data/api/test/rooms.yaml:41:21", "Example of POST /rooms \u203a response 200 at /chunk/0: property \"colour\" is not declared"],
  ["data/api/test/rooms.yaml:45:21", "Example of POST /rooms \u203a response 200 at /chunk/1: property \"parent\" is not declared"],
  ["data/event-schemas/examples/m.thing.json:6:5", "Example of event example m.thing at /content: property \"sizes\" is not declared"],
]);

test('example-undeclared-property: names what is declared, and points at the schema', async () => {
  const [first] = await lint(ruleFixtureRoot(), 'example-undeclared-property');
  assert.match(first!.hint!, /^Declared: room_id, topic\./);
  assert.deepEqual(first!.related, [{ file: 'data/api/test/rooms.yaml', line: 16, column: 15, label: 'schema' }]);
});

test('example-undeclared-property: a deep example of a recursive schema, shared by reference, is walked once', async () => {
  let example = '{"leaf": true, "stray": 1}';
  for (let i = 0; i < 80; i++) example = `{"child": ${example}}`;
  const { root, cleanup } = tempTree({
    'data/event-schemas/schema/m.nest.yaml': 'title: Nest\ntype: object\nproperties:\n  child:\n    $ref: m.nest.yaml\n  leaf:\n    type: boolean\n',
    'data/event-schemas/examples/m.nest.json': example,
    // The same example again, and an example file that references itself.
    'data/event-schemas/examples/m.nest$again.json': '{"$ref": "m.nest.json", "leaf": false}',
    'data/event-schemas/examples/m.nest$loop.json': '{"child": {"$ref": "m.nest$loop.json"}, "leaf": true}',
  });
  try {
    const found = await lint(root, 'example-undeclared-property');
    // Once for each example that holds the stray property: m.nest and m.nest$again.
    assert.deepEqual(found.map((d) => `${d.file}:${d.line}:${d.column} ${/event example (\S+) at/.exec(d.message)?.[1]}`), [
      'data/event-schemas/examples/m.nest.json:1:816 m.nest',
      'data/event-schemas/examples/m.nest.json:1:816 m.nest$again',
    ]);
    assert.ok(found.every((d) => d.message.endsWith('property "stray" is not declared by its schema.')));
  } finally { cleanup(); }
});

function ruleFixtureRoot(): string {
  return new URL('../../../scripts/lint/rules/fixtures/example-undeclared-property/fail', import.meta.url).pathname;
}
