import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertNoCrash, hostileTree, lintJson, readAll } from '../testing/hostile.js';
import { cli } from '../testing/support.js';

/**
 * Adversarial input that used to take exponential time or overflow the stack. Each case must end
 * (the timeout only catches a hang; speed itself is measured by `npm run bench`) with the exact
 * diagnostic expected, and the other commands must still complete.
 */
const HANG_GUARD = { timeout: 120_000 };

/** Line and column (1-based) of the first occurrence of `needle` in `text`. */
function position(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  assert.ok(at !== -1, `${needle} is in the fixture`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

test('linear time: a file of 5,000 comment lines is empty, found at once', HANG_GUARD, () => {
  const comments = Array.from({ length: 5000 }, (_, i) => `# comment ${i} of a long licence header`).join('\n') + '\n';
  const tree = hostileTree({ 'data/api/test/definitions/comments.yaml': comments });
  try {
    const { status, found } = lintJson(tree.root);
    assert.equal(status, 1);
    assert.deepEqual(
      found.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`),
      ['data/api/test/definitions/comments.yaml:1:1 yaml-syntax'],
    );
    assert.match(found[0]!.message, /^The file is empty/);
  } finally {
    tree.cleanup();
  }
});

test(
  'linear time: regexes from the spec run on a linear engine, even ^(a+)+$ against 30,000 characters',
  HANG_GUARD,
  () => {
    const evil = 'a'.repeat(30000) + '!';
    const formats =
      'mx-user-id:\n  title: User ID\n  url: /appendices/#user-identifiers\n' +
      '  regex: "^@[a-z0-9._=/+-]+:[A-Za-z0-9.:-]+$"\n' +
      'mx-evil:\n  title: Evil\n  url: /appendices/#evil\n  regex: "^(a+)+$"\n';
    const schema =
      [
        'title: Patterned',
        'type: object',
        'properties:',
        '  byFormat:',
        '    type: string',
        '    format: mx-evil',
        `    example: "${evil}"`,
        '  byPattern:',
        '    type: string',
        '    pattern: "^(a|aa)+$"',
        `    example: "${evil}"`,
        '  byKey:',
        '    type: object',
        '    patternProperties:',
        '      "^(a+)+$":',
        '        type: string',
        '    additionalProperties: false',
        '    example:',
        `      "${evil}": value`,
      ].join('\n') + '\n';
    const tree = hostileTree({
      'data/string-formats.yaml': formats,
      'data/api/test/definitions/patterned.yaml': schema,
    });
    try {
      const { status, found } = lintJson(tree.root);
      assert.equal(status, 1);
      const lines = schema.split('\n');
      const at = (line: number, needle: string) =>
        `data/api/test/definitions/patterned.yaml:${line}:${lines[line - 1]!.indexOf(needle) + 1}`;
      const examples = found.filter((d) => d.rule === 'example-valid');
      assert.deepEqual(
        examples.map((d) => `${d.file}:${d.line}:${d.column}`),
        [at(7, '"a'), at(11, '"a'), at(19, '"a')],
      );
      assert.match(examples[0]!.message, /is not a valid mx-evil/);
      assert.match(examples[1]!.message, /does not match the pattern/);
      assert.match(examples[2]!.message, /not allowed/);
      // The other commands run the same patterns' formats and finish too.
      const types = cli(['types', '--root', tree.root, '--out', join(tree.work, 'types')]);
      assert.equal(types.status, 0, types.stderr);
    } finally {
      tree.cleanup();
    }
  },
);

test('linear time: a 500-byte alias bomb is one diagnostic, and every command finishes', HANG_GUARD, () => {
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  const bomb = levels.join('\n') + '\n';
  assert.ok(bomb.length < 600);
  const tree = hostileTree({ 'data/api/test/definitions/bomb.yaml': bomb });
  try {
    const { status, found } = lintJson(tree.root);
    assert.equal(status, 1);
    const at = position(bomb, '*a');
    assert.deepEqual(
      found.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`),
      [`data/api/test/definitions/bomb.yaml:${at.line}:${at.column} yaml-syntax`],
    );
    assert.match(found[0]!.message, /alias bomb/);
    for (const command of ['types', 'site']) {
      const r = cli([command, '--root', tree.root, '--out', join(tree.work, command)]);
      assertNoCrash(r.stderr, r.stdout);
      assert.notEqual(r.status, null, `${command} finished`);
    }
  } finally {
    tree.cleanup();
  }
});

test('linear time: a $ref whose pointer runs through itself is one ref-resolves diagnostic', HANG_GUARD, () => {
  const self = 'title: Self\ntype: object\nproperties:\n  a:\n    $ref: "#/properties/a/x"\n';
  const tree = hostileTree({ 'data/api/test/definitions/self.yaml': self });
  try {
    const { status, found } = lintJson(tree.root);
    assert.equal(status, 1);
    const at = position(self, '$ref');
    assert.deepEqual(
      found.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`),
      [`data/api/test/definitions/self.yaml:${at.line}:${at.column} ref-resolves`],
    );
    assert.match(found[0]!.message, /runs through itself|cycle/);
  } finally {
    tree.cleanup();
  }
});

/** A property of the base tree's Thing leading into a chain of `count` schema files, each nesting the next. */
function chainTree(count: number, kind: 'nested' | 'alias') {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const next = i + 1 < count ? `c${i + 1}.yaml` : undefined;
    if (kind === 'alias')
      files[`data/api/test/definitions/chain/c${i}.yaml`] = next
        ? `$ref: ${next}\n`
        : 'title: End\ntype: object\nproperties:\n  end:\n    type: boolean\n';
    else
      files[`data/api/test/definitions/chain/c${i}.yaml`] =
        `title: Link${i}\ntype: object\nproperties:\n  n${i}:\n    type: string\n` +
        (next ? `  next:\n    $ref: ${next}\n` : '');
  }
  const thing =
    'title: Thing\ntype: object\nproperties:\n  owner:\n    type: string\n    format: mx-user-id\n' +
    '  label:\n    type: string\n' +
    '  chain:\n    $ref: chain/c0.yaml\nrequired: [owner]\n';
  files['data/api/test/definitions/thing.yaml'] = thing;
  return hostileTree(files);
}

for (const kind of ['alias', 'nested'] as const) {
  test(
    `linear time: a ${kind === 'alias' ? 'chain of $refs' : 'nesting'} through 5,000 files `
      + 'neither overflows nor hangs lint, types or site',
    HANG_GUARD,
    () => {
      const tree = chainTree(5000, kind);
      try {
        const { status, found } = lintJson(tree.root);
        assert.deepEqual(
          found.filter((d) => d.rule === 'ref-resolves' || d.rule === 'yaml-syntax'),
          [],
        );
        assert.equal(status, 0, JSON.stringify(found.slice(0, 3)));
        const types = cli(['types', '--root', tree.root, '--out', join(tree.work, 'types')]);
        assertNoCrash(types.stderr, types.stdout);
        assert.equal(types.status, 0, types.stderr);
        const dts = readAll(join(tree.work, 'types')).get('test.d.ts')!;
        assert.match(dts, kind === 'alias' ? /\bEnd\b/ : /\bLink4999\b/);
        const site = cli(['site', '--root', tree.root, '--out', join(tree.work, 'site')]);
        assertNoCrash(site.stderr, site.stdout);
        assert.equal(site.status, 0, site.stderr.slice(0, 2000));
      } finally {
        tree.cleanup();
      }
    },
  );
}
