import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeOf, valuePlaceOf } from './locate.js';
import { loadSpec } from './load.js';
import { isObject } from './pointer.js';
import { REPO, ruleFixture, tempTree } from '../testing/support.js';
import { Copies } from './copies.js';

test('loader: positions of keys, values and items are the ones an editor shows', () => {
  const { root, cleanup } = tempTree({
    'data/api/test/doc.yaml': 'openapi: 3.1.0\ninfo:\n  title: T\n  version: "1"\npaths:\n  # a comment\n  /a:\n    get:\n      tags: [x, y]\n      operationId: getA\n',
    'data/api/test/definitions/thing.json': '{\n  "title": "Thing",\n  "properties": {\n    "name": { "type": "string" }\n  }\n}\n',
  });
  try {
    const spec = loadSpec(root);
    const doc = spec.roots[0]!.doc as { paths: Record<string, { get: Record<string, unknown> }> };
    assert.deepEqual(placeOf(doc.paths, '/a'), { file: 'data/api/test/doc.yaml', line: 7, column: 3 });
    assert.deepEqual(placeOf(doc.paths['/a']!.get, 'operationId'), { file: 'data/api/test/doc.yaml', line: 10, column: 7 });
    assert.deepEqual(valuePlaceOf(doc.paths['/a']!.get, 'operationId'), { file: 'data/api/test/doc.yaml', line: 10, column: 20 });
    assert.deepEqual(placeOf(doc.paths['/a']!.get.tags, 1), { file: 'data/api/test/doc.yaml', line: 9, column: 17 });
    const json = spec.files.find((f) => f.rel.endsWith('thing.json'))!;
    const props = (json.data as { properties: object }).properties;
    assert.deepEqual(placeOf(props, 'name'), { file: 'data/api/test/definitions/thing.json', line: 4, column: 5 });
  } finally { cleanup(); }
});

test('loader: operations get their full path from the server basePath, in OpenAPI 3.1 and Swagger 2.0', () => {
  const spec = loadSpec(ruleFixture('openapi-structure', 'pass'));
  const paths = spec.operations.map((o) => `${o.api} ${o.method.toUpperCase()} ${o.fullPath}`).sort();
  assert.deepEqual(paths, ['legacy GET /_matrix/legacy/thing', 'test GET /thing']);
  const ours = loadSpec(REPO);
  const knock = ours.operations.find((o) => o.node.operationId === 'knockRoom');
  assert.equal(knock?.fullPath, '/_matrix/client/v3/knock/{roomIdOrAlias}');
  assert.equal(knock?.api, 'client-server');
  assert.equal(ours.operations.find((o) => o.node.operationId === 'sendJoinV2')?.fullPath, '/_matrix/federation/v2/send_join/{roomId}/{eventId}');
});

test('loader: a $ref in an example resolves relative to its file, sibling keys overriding', () => {
  const spec = loadSpec(ruleFixture('ref-resolves', 'pass'));
  const example = spec.examples.find((e) => e.kind === 'response')!;
  const value = new Copies(spec).resolve(example.file, example.value);
  assert.deepEqual(value, { name: 'overridden', children: [{ name: 'leaf', children: [] }] });
});

test('loader: a schema that contains itself through properties loads and is listed once', () => {
  const spec = loadSpec(ruleFixture('ref-resolves', 'pass'));
  const trees = spec.schemas.filter((s) => s.node.title === 'TreeNode');
  assert.equal(trees.length, 1);
  assert.deepEqual(spec.refs.filter((r) => r.error), []);
});

test('loader: one malformed file becomes a problem and the rest still load', () => {
  const { root, cleanup } = tempTree({
    'data/api/test/bad.yaml': 'openapi: 3.1.0\ninfo: [unclosed\n',
    'data/api/test/good.yaml': 'openapi: 3.1.0\ninfo:\n  title: T\n  version: "1"\npaths:\n  /a:\n    get:\n      operationId: getA\n',
  });
  try {
    const spec = loadSpec(root);
    assert.equal(spec.problems.length, 1);
    assert.equal(spec.problems[0]!.file.rel, 'data/api/test/bad.yaml');
    assert.deepEqual(spec.operations.map((o) => o.node.operationId), ['getA']);
  } finally { cleanup(); }
});

test('loader: event schemas, their examples and the string formats are in the model', () => {
  const spec = loadSpec(REPO);
  const joinRules = spec.eventSchemas.find((e) => e.type === 'm.room.join_rules');
  assert.ok(joinRules, 'm.room.join_rules is loaded');
  assert.deepEqual(joinRules.examples.map((e) => e.name).sort(), ['m.room.join_rules', 'm.room.join_rules$restricted']);
  const examples = spec.examples.filter((e) => e.kind === 'event' && e.context.includes('m.room.join_rules'));
  assert.equal(examples.length, 2, 'both join rules examples are validated against the schema');
  for (const name of ['mx-user-id', 'mx-room-id', 'mx-room-alias', 'mx-event-id', 'mx-server-name']) {
    const f = spec.stringFormats.get(name);
    assert.ok(f?.regex && f.title && f.url, `${name} has a title, url and a working regex`);
  }
  assert.ok(isObject(spec.stringFormatsFile?.data));
});
