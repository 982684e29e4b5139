import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertNoCrash, BASE_TREE, hostileTree, lintJson, readAll } from '../testing/hostile.js';
import { cli, lint, where } from '../testing/support.js';
import { loadSpec } from '../loader/load.js';
import { DocumentBundler } from '../loader/bundle.js';

test('no crash: broken links, looping and outward folders, invalid UTF-8 each give one located diagnostic', () => {
  const tree = hostileTree({
    'data/api/test/definitions/latin1.yaml': Buffer.from('title: Caf\xe9\ntype: object\n', 'latin1'),
  });
  try {
    const defs = join(tree.root, 'data', 'api', 'test', 'definitions');
    symlinkSync('nowhere.yaml', join(defs, 'broken.yaml'));
    symlinkSync('loop', join(defs, 'loop'));
    symlinkSync(tree.work, join(defs, 'outward'));
    const { status, found } = lintJson(tree.root);
    assert.equal(status, 1);
    assert.deepEqual(
      found.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`),
      [
        'data/api/test/definitions/broken.yaml:1:1 yaml-syntax',
        'data/api/test/definitions/latin1.yaml:1:11 yaml-syntax',
        'data/api/test/definitions/loop:1:1 yaml-syntax',
        'data/api/test/definitions/outward:1:1 yaml-syntax',
      ],
    );
    assert.match(found[0]!.message, /symbolic link that leads nowhere/);
    assert.match(found[1]!.message, /not valid UTF-8/);
    assert.match(found[2]!.message, /loops/);
    assert.match(found[3]!.message, /outside the spec tree/);
  } finally {
    tree.cleanup();
  }
});

test('no crash: API folders named "bad--name" and "1.weird api" are reported, and types and site still work', () => {
  const things = readFileSync(join(BASE_TREE, 'data', 'api', 'test', 'things.yaml'), 'utf8');
  const tree = hostileTree({
    'data/api/bad--name/things.yaml': things.replace('putThing', 'putOther').replace('/things/', '/others/'),
    'data/api/1.weird api/things.yaml': things.replace('putThing', 'putWeird').replace('/things/', '/weird/'),
    'data/api/bad--name/definitions/thing.yaml': readFileSync(join(BASE_TREE, 'data/api/test/definitions/thing.yaml')),
    'data/api/1.weird api/definitions/thing.yaml': readFileSync(
      join(BASE_TREE, 'data/api/test/definitions/thing.yaml'),
    ),
  });
  try {
    const { found } = lintJson(tree.root);
    assert.deepEqual(
      found.filter((d) => d.rule === 'tree-layout').map((d) => `${d.file}:${d.line}:${d.column}`),
      ['data/api/1.weird api:1:1', 'data/api/bad--name:1:1'],
    );
    const types = cli(['types', '--root', tree.root, '--out', join(tree.work, 'types')]);
    assertNoCrash(types.stderr, types.stdout);
    assert.equal(types.status, 0, types.stderr);
    const files = readAll(join(tree.work, 'types'));
    assert.ok(files.has('bad-name.d.ts') && files.has('api-1-weird-api.d.ts'), [...files.keys()].join(' '));
    assert.match(files.get('index.d.ts')!, /export type \* as BadName from '\.\/bad-name\.js';/);
    const site = cli(['site', '--root', tree.root, '--out', join(tree.work, 'site')]);
    assertNoCrash(site.stderr, site.stdout);
    assert.equal(site.status, 0, site.stderr);
  } finally {
    tree.cleanup();
  }
});

test('no crash: a 10 MB one-line file gets a code frame cut to a window around the column', () => {
  const big = `{"title": "Big", "type": "object", "description": "${'x'.repeat(10 * 1024 * 1024)}", "properties": [}\n`;
  const tree = hostileTree({ 'data/api/test/definitions/big.json': big });
  try {
    const r = cli(['lint', '--root', tree.root]);
    assertNoCrash(r.stderr, r.stdout);
    assert.equal(r.status, 1);
    assert.ok(r.stdout.length < 5000, `the report is ${r.stdout.length} characters`);
    const frame = r.stdout.split('\n').find((l) => l.includes('> 1 |'))!;
    assert.ok(frame.length < 200, frame.slice(0, 300));
    assert.match(frame, /…x+", "properties": \[}/);
    const caret = r.stdout.split('\n')[r.stdout.split('\n').indexOf(frame) + 1]!;
    assert.equal(
      caret.indexOf('^') - caret.indexOf('|'),
      frame.indexOf('}') - frame.indexOf('|'),
      'the caret sits under the bad character',
    );
  } finally {
    tree.cleanup();
  }
});

test('no crash: keys named __proto__, constructor and prototype are ordinary keys everywhere', async () => {
  const schema =
    [
      'title: Odd',
      'type: object',
      'properties:',
      '  __proto__:',
      '    type: string',
      '  constructor:',
      '    type: string',
      '  prototype:',
      '    type: object',
      '    properties:',
      '      polluted:',
      '        type: boolean',
      'required: [__proto__, constructor, prototype]',
      'example:',
      '  __proto__: "a"',
      '  constructor: "b"',
      '  prototype:',
      '    polluted: true',
    ].join('\n') + '\n';
  const paths =
    'openapi: 3.1.0\ninfo:\n  title: Odd\n  version: 1.0.0\n' +
    'paths:\n  __proto__:\n    get:\n      operationId: getProto\n' +
    '      summary: A path with an odd name.\n      description: Exists to prove it is a plain key.\n' +
    '      tags: [Odd]\n      responses:\n        "200":\n          description: Fine.\n' +
    '          content:\n            application/json:\n' +
    '              schema:\n                $ref: ../test/definitions/odd.yaml\n';
  const tree = hostileTree({ 'data/api/test/definitions/odd.yaml': schema, 'data/api/odd/odd.yaml': paths });
  try {
    const spec = loadSpec(tree.root);
    const found = await lint(tree.root);
    assert.deepEqual(
      where(found.filter((d) => d.rule === 'example-valid' || d.rule === 'required-properties-defined')),
      [],
    );
    const doc = new DocumentBundler(spec).api(
      spec.apis.find((a) => a.name === 'odd')!,
      '1.0',
    );
    assert.ok(Object.prototype.hasOwnProperty.call(doc.paths, '__proto__'), 'the path is an own key');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).get, undefined, 'Object.prototype is untouched');
    const types = cli(['types', '--root', tree.root, '--out', join(tree.work, 'types')]);
    assertNoCrash(types.stderr, types.stdout);
    assert.equal(types.status, 0, types.stderr);
    const odd = readAll(join(tree.work, 'types')).get('odd.d.ts')!;
    assert.match(odd, /__proto__: string;/);
    assert.match(odd, /^ {4}__proto__: \{$/m);
  } finally {
    tree.cleanup();
  }
});

test('no crash: a schema file that is a folder or empty among real files is reported, the rest still load', () => {
  const tree = hostileTree({ 'data/api/test/definitions/empty.yaml': '' });
  try {
    mkdirSync(join(tree.root, 'data', 'api', 'test', 'definitions', 'not-a-file.yaml'));
    writeFileSync(
      join(tree.root, 'data', 'api', 'test', 'definitions', 'not-a-file.yaml', 'inner.yaml'),
      'title: Inner\ntype: object\n',
    );
    const { found } = lintJson(tree.root);
    assert.deepEqual(
      found.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`),
      ['data/api/test/definitions/empty.yaml:1:1 yaml-syntax'],
    );
  } finally {
    tree.cleanup();
  }
});

test(
  'no crash: a FIFO in the place of a configuration file, page or template is refused, never waited on',
  { timeout: 120_000 },
  () => {
    const places = [
      ['.mxspec.yaml', ['lint']],
      ['.spectral.yaml', ['lint']],
      ['changelogs/pyproject.toml', ['changelog', 'build', '--draft']],
      ['site/index.md', ['site']],
      ['templates/site/layout.hbs', ['site']],
    ] as const;
    for (const [place, command] of places) {
      const tree = hostileTree({ 'site/about.md': '---\ntitle: About\n---\nA page.\n' });
      try {
        mkdirSync(join(tree.root, place, '..'), { recursive: true });
        execFileSync('mkfifo', [join(tree.root, place)]);
        const extra = command[0] === 'lint' || command[0] === 'changelog' ? [] : ['--out', join(tree.work, 'out')];
        const r = cli([...command, '--root', tree.root, ...extra]);
        assertNoCrash(r.stderr, r.stdout);
        assert.ok(r.status === 1 || r.status === 2, `${place}: exit ${r.status}`);
        assert.match(r.stdout + r.stderr, /not a regular file|FIFO/, place);
      } finally {
        tree.cleanup();
      }
    }
  },
);
