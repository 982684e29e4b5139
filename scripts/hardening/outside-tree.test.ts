import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertNoCrash, hostileTree, readAll } from '../testing/hostile.js';
import { cli } from '../testing/support.js';
import type { Diagnostic } from '../core/diagnostic.js';

/**
 * Every way a tree can point outside itself: relative, absolute and percent-encoded references,
 * a symbolic link out of the tree, a FIFO, a folder named like a file, a device. Each is an error
 * at its place; none is read; the secret beside the tree appears in no output and no message.
 */
test(
  'outside the tree: references and links that leave --root are errors at their place, and nothing outside is read',
  { timeout: 120_000 },
  () => {
    const refs = [
      ['relative', '../../../../../secret.yaml'],
      ['absolute', '@OUTSIDE@'],
      ['encoded', '%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.yaml'],
      ['encoded-slash', '..%2f..%2f..%2f..%2f..%2fsecret.yaml'],
      ['device', '/dev/zero'],
      ['link', 'link.yaml'],
      ['fifo', 'fifo.yaml'],
      ['folder', 'folder.yaml'],
    ] as const;
    const tree = hostileTree();
    try {
      const schema =
        [
          'title: Leaky',
          'type: object',
          'properties:',
          ...refs.flatMap(([name, ref]) => [
            `  ${name}:`,
            '    type: object',
            '    example:',
            `      $ref: "${ref.replace('@OUTSIDE@', tree.outside)}"`,
          ]),
        ].join('\n') + '\n';
      const defs = join(tree.root, 'data', 'api', 'test', 'definitions');
      writeFileSync(join(defs, 'leaky.yaml'), schema);
      symlinkSync(tree.outside, join(defs, 'link.yaml'));
      execFileSync('mkfifo', [join(defs, 'fifo.yaml')]);
      mkdirSync(join(defs, 'folder.yaml'));

      const r = cli(['lint', '--root', tree.root, '--format', 'json']);
      assertNoCrash(r.stderr, r.stdout);
      assert.equal(r.status, 1);
      const found = JSON.parse(r.stdout) as Diagnostic[];
      const lines = schema.split('\n');
      const refLine = (name: string) => lines.indexOf(`  ${name}:`) + 4;
      const expected = [
        ...refs.map(([name]) => `data/api/test/definitions/leaky.yaml:${refLine(name)}:7 ref-resolves`),
        'data/api/test/definitions/fifo.yaml:1:1 yaml-syntax',
        'data/api/test/definitions/link.yaml:1:1 yaml-syntax',
      ].sort();
      assert.deepEqual(found.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`).sort(), expected);
      const message = (name: string) => found.find((d) => d.line === refLine(name))!.message;
      for (const name of ['relative', 'absolute', 'encoded', 'encoded-slash', 'device'])
        assert.match(message(name), /outside the spec tree/, name);
      assert.match(message('link'), /symbolic link to .*outside the spec tree/);
      assert.match(message('fifo'), /not a regular file/);
      assert.match(message('folder'), /is a folder/);

      // The human format shows code frames; none may show the refused files' contents.
      const stylish = cli(['lint', '--root', tree.root]);
      assertNoCrash(stylish.stderr, stylish.stdout);
      for (const command of ['types', 'site']) {
        const out = join(tree.work, command);
        const run = cli([command, '--root', tree.root, '--out', out]);
        assertNoCrash(run.stderr, run.stdout);
        for (const text of [run.stdout, run.stderr])
          assert.ok(!text.includes(tree.marker), `${command} printed the secret`);
        if (existsSync(out))
          for (const [file, text] of readAll(out))
            assert.ok(!text.includes(tree.marker), `${command} wrote the secret into ${file}`);
      }
      for (const text of [r.stdout, r.stderr, stylish.stdout, stylish.stderr])
        assert.ok(!text.includes(tree.marker), 'lint printed the secret');
    } finally {
      tree.cleanup();
    }
  },
);

test('outside the tree: a --root that is a link is read where it leads; links within the tree work', () => {
  const tree = hostileTree({
    'data/api/test/definitions/real.yaml': 'title: Real\ntype: object\nproperties:\n  a:\n    type: string\n',
  });
  try {
    const defs = join(tree.root, 'data', 'api', 'test', 'definitions');
    symlinkSync('real.yaml', join(defs, 'alias.yaml'));
    const linkedRoot = join(tree.work, 'linked-root');
    symlinkSync(tree.root, linkedRoot);
    const r = cli(['lint', '--root', linkedRoot, '--format', 'json']);
    assertNoCrash(r.stderr, r.stdout);
    assert.deepEqual(JSON.parse(r.stdout), []);
    assert.equal(r.status, 0);
  } finally {
    tree.cleanup();
  }
});
