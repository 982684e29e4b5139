import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadSpec } from '../../loader/load.js';
import { isObject } from '../../loader/pointer.js';
import { lint, ruleFixtureTests, tempTree, where } from '../../testing/support.js';
import { exampleUndeclaredProperty } from './example-undeclared-property.js';
import { exampleValid } from './example-valid.js';

// The passing fixture also holds what the published spec relies on: allOf read as inheritance (a
// later branch replacing a property's schema), an example written on one allOf branch, a base
// requiring what only the schemas built on it define, and Swagger 2.0 x-examples written as the
// text of a query string.
ruleFixtureTests('example-valid', [
  ["data/api/legacy/things.yaml:14:22", "Example of GET /legacy/things \u203a parameter limit: \"many\" is of type string"],
  ["data/api/test/definitions/labelled.yaml:10:7", "Example of data/api/test/definitions/labelled.yaml \u203a allOf.1: missing required property \"record_id\""],
  ["data/api/test/things.yaml:15:20", "Example of POST /thing/{count} \u203a parameter count: \"seven\" is"],
  ["data/api/test/things.yaml:27:28", "Example of POST /thing/{count} \u203a request body (application/j"],
  ["data/api/test/things.yaml:31:28", "Example of POST /thing/{count} \u203a request body (application/j"],
  ["data/api/test/things.yaml:34:15", "Example of POST /thing/{count} \u203a request body: missing requi"],
  ["data/api/test/things.yaml:49:21", "Example of POST /thing/{count} \u203a response 200 example \"first"],
  ["data/event-schemas/examples/m.thing.json:4:5", "Example of event example m.thing at /content/size: \"large\" i"],
]);

test('example-valid: a property that additionalProperties: false forbids is one finding, at the keyword', async () => {
  const schema = 'title: Closed\ntype: object\nproperties:\n  a:\n    type: string\nadditionalProperties: false\n'
    + 'example:\n  a: x\n  b: y\n';
  const { root, cleanup } = tempTree({ 'data/api/test/definitions/closed.yaml': schema });
  try {
    const found = await lint(root, 'example-valid');
    assert.deepEqual(where(found), ['data/api/test/definitions/closed.yaml:9:3 example-valid']);
    assert.match(found[0]!.message, /at \/b: this property is not allowed by the schema\.$/);
    const keyword = { file: 'data/api/test/definitions/closed.yaml', line: 6, column: 1, label: 'schema' };
    assert.deepEqual(found[0]!.related, [keyword]);
  } finally { cleanup(); }
});

test('example-valid: a schema whose composition holds itself cannot be used, nor can one reaching it', () => {
  const { root, cleanup } = tempTree({
    // Its property `self` inherits from the schema itself: composing it never ends.
    'data/api/test/definitions/cyc.yaml': 'title: Cyc\ntype: object\nproperties:\n  a:\n    type: string\n'
      + '  self:\n    allOf:\n      - $ref: "#"\nexample:\n  a: x\n',
    'data/api/test/definitions/user.yaml': 'title: User\ntype: object\nproperties:\n  c:\n    $ref: cyc.yaml\n'
      + 'example:\n  c:\n    a: y\n',
  });
  try {
    // Both rules judge examples against the schemas of one loaded spec: whichever asks first, the
    // answer is the same.
    for (const order of [[exampleValid, exampleUndeclaredProperty], [exampleUndeclaredProperty, exampleValid]]) {
      const spec = loadSpec(root);
      const found: { rule: string; message: string; title: unknown }[] = [];
      for (const rule of order) {
        const title = (node: unknown) => (isObject(node) ? node.title : undefined);
        void rule.run({ spec, report: (f) => found.push({ rule: rule.id, message: f.message, title: title(f.node) }) });
      }
      assert.deepEqual(found.map((f) => `${f.rule} ${String(f.title)}`), ['example-valid Cyc', 'example-valid User']);
      assert.ok(found.every((f) => /^The schema for \S+ cannot be used to check its example: /.test(f.message)));
    }
  } finally { cleanup(); }
});
