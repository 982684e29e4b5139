import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, tempTree } from '../testing/support.js';

const doc = (schemaRef: string) => `openapi: 3.1.0
info:
  title: T
  version: "1"
paths:
  /a:
    get:
      operationId: getA
      summary: Gets A.
      description: Returns A.
      tags: [A]
      responses:
        "200":
          description: Fine.
          content:
            application/json:
              schema:
                $ref: ${schemaRef}
`;
const thing = 'title: Thing\ntype: object\nproperties:\n  child:\n    $ref: thing.yaml\n';

/** Each bad input: the files of a tree, and the one diagnostic it must produce. */
const CASES: [string, Record<string, string | Buffer>, string][] = [
  ['malformed YAML', { 'data/api/t/doc.yaml': 'openapi: 3.1.0\ninfo:\n  title: [oops\n' }, 'data/api/t/doc.yaml:4:1 yaml-syntax'],
  ['an empty file', { 'data/api/t/doc.yaml': doc('defs/thing.yaml'), 'data/api/t/defs/thing.yaml': thing, 'data/api/t/defs/empty.yaml': '' }, 'data/api/t/defs/empty.yaml:1:1 yaml-syntax'],
  ['a binary file', { 'data/api/t/doc.yaml': doc('defs/thing.yaml'), 'data/api/t/defs/thing.yaml': thing, 'data/api/t/defs/logo.yaml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x1a, 0xff]) }, 'data/api/t/defs/logo.yaml:1:1 yaml-syntax'],
  ['a $ref to a missing file', { 'data/api/t/doc.yaml': doc('defs/nope.yaml') }, 'data/api/t/doc.yaml:18:17 ref-resolves'],
  ['a $ref to a missing pointer', { 'data/api/t/doc.yaml': doc('defs/thing.yaml#/properties/nope'), 'data/api/t/defs/thing.yaml': thing }, 'data/api/t/doc.yaml:18:17 ref-resolves'],
  ['a $ref chain a → b → a', { 'data/api/t/doc.yaml': doc('defs/a.yaml'), 'data/api/t/defs/a.yaml': '$ref: b.yaml\n', 'data/api/t/defs/b.yaml': '$ref: a.yaml\n' }, 'data/api/t/defs/a.yaml:1:1 ref-resolves'],
  ['a file that is not OpenAPI', { 'data/api/t/doc.yaml': doc('defs/thing.yaml'), 'data/api/t/defs/thing.yaml': thing, 'data/api/t/shopping.yaml': 'eggs: 6\nmilk: 1\n' }, 'data/api/t/shopping.yaml:1:1 openapi-structure'],
  ['a value of the wrong type', { 'data/api/t/doc.yaml': doc('defs/thing.yaml').replace('summary: Gets A.', 'summary: [Gets, A]'), 'data/api/t/defs/thing.yaml': thing }, 'data/api/t/doc.yaml:9:7 openapi-structure'],
];

for (const [name, files, expected] of CASES) {
  test(`bad input, ${name}: one located diagnostic, exit 1, no stack trace`, () => {
    const { root, cleanup } = tempTree(files);
    try {
      const r = cli(['lint', '--root', root, '--format', 'json']);
      assert.equal(r.status, 1);
      assert.equal(r.stderr, '');
      const found = JSON.parse(r.stdout) as { file: string; line: number; column: number; rule: string }[];
      assert.deepEqual(found.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`), [expected]);
      const human = cli(['lint', '--root', root]);
      assert.doesNotMatch(human.stdout + human.stderr, /\n\s+at .*\(.*:\d+:\d+\)/);
    } finally { cleanup(); }
  });
}

test('a schema that recurses through properties is legitimate: no diagnostic', () => {
  const { root, cleanup } = tempTree({ 'data/api/t/doc.yaml': doc('defs/thing.yaml'), 'data/api/t/defs/thing.yaml': thing });
  try {
    const r = cli(['lint', '--root', root, '--format', 'json']);
    assert.equal(r.status, 0, r.stdout);
    assert.deepEqual(JSON.parse(r.stdout), []);
  } finally { cleanup(); }
});
