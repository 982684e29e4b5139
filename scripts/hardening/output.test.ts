import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { OUTPUT_MARK } from '../core/output.js';
import { assertNoCrash, hostileTree, snapshot, type HostileTree } from '../testing/hostile.js';
import { cli, REPO, type CliResult } from '../testing/support.js';

/**
 * Nothing outside the output is deleted: `mxspec types` and `mxspec site` replace their --out
 * folder whole, so they must refuse any folder that holds something else, and a refusal or a
 * failed write must leave every file where it was.
 */
const EXTRA = join(REPO, 'scripts', 'hardening', 'fixtures', 'output', 'extra');
const COMMANDS = ['types', 'site'] as const;
type Command = (typeof COMMANDS)[number];

/** The hardening base tree with a second API, `extra`, whose output files the test can name. */
function outputTree(): HostileTree {
  const tree = hostileTree();
  cpSync(EXTRA, tree.root, { recursive: true });
  return tree;
}

/** Runs a command on the tree; without `out`, into its default folder, `<root>/dist/<command>`. */
function run(command: Command, root: string, out?: string): CliResult {
  const r = cli([command, '--root', root, ...(out === undefined ? [] : ['--out', out])]);
  assertNoCrash(r.stderr, r.stdout);
  return r;
}

/** One line on stderr, starting "mxspec: ", and nothing on stdout. */
function assertOneLine(r: CliResult, status: number): void {
  assert.equal(r.status, status, r.stderr);
  assert.equal(r.stdout, '');
  const lines = r.stderr.split('\n');
  assert.equal(lines.length, 2, `exactly one line on stderr:\n${r.stderr}`);
  assert.equal(lines[1], '');
  assert.match(lines[0]!, /^mxspec: /);
}

/** Temporary folders mxspec would leave beside `out` if a write were abandoned half way. */
function leftovers(out: string): string[] {
  const prefix = `.${basename(out)}.mxspec-tmp-`;
  try {
    return readdirSync(dirname(out)).filter((name) => name.startsWith(prefix));
  } catch {
    return [];
  }
}

interface Mark { writtenBy: string; kind: string }

function readMark(out: string): Mark {
  return JSON.parse(readFileSync(join(out, OUTPUT_MARK), 'utf8')) as Mark;
}

/** Files of an output folder whose path names the extra API. */
function extraFiles(out: string): string[] {
  return (readdirSync(out, { recursive: true }) as string[]).filter((rel) => rel.split(/[/.-]/).includes('extra'));
}

/**
 * Runs a command that must be refused: exit `status`, one line, and nothing under the work
 * folder (the tree, the canary, the other outputs) changed, not even a modification time.
 */
function assertRefused(tree: HostileTree, command: Command, out: string | undefined, status = 2): void {
  const before = snapshot(tree.work);
  const r = run(command, tree.root, out);
  assertOneLine(r, status);
  assert.deepEqual(snapshot(tree.work), before, 'nothing under the work folder changed');
  if (out !== undefined) assert.deepEqual(leftovers(out), []);
}

/**
 * The checks on --out are lexical (path.resolve), so a symbolic link on the way is not seen:
 * reported to the lead with the fix (compare the real path of the deepest existing ancestor too).
 */

for (const command of COMMANDS) {
  const other: Command = command === 'types' ? 'site' : 'types';

  test(`output: mxspec ${command} refuses an --out that is or holds more than its output`, async (t: TestContext) => {
    const tree = outputTree();
    try {
      const notes = join(tree.work, 'notes');
      const canary = join(notes, 'canary.txt');
      mkdirSync(notes);
      writeFileSync(canary, 'Written by hand; no tool may delete it.\n');
      mkdirSync(join(tree.work, 'empty'));
      symlinkSync(join(tree.work, 'empty'), join(tree.work, 'link'));
      const othersOutput = join(tree.work, `${other}-output`);
      assert.equal(run(other, tree.root, othersOutput).status, 0, `mxspec ${other} writes its own output`);
      const cases: [string, string][] = [
        ['the spec root', tree.root],
        ['a folder holding the spec root', tree.work],
        ['a folder inside <root>/data', join(tree.root, 'data', 'generated')],
        ['<root>/data itself', join(tree.root, 'data')],
        ['a non-empty folder without the mark', notes],
        ['a file', canary],
        ['a symbolic link to an empty folder', join(tree.work, 'link')],
        [`the output of mxspec ${other}`, othersOutput],
      ];
      for (const [label, out] of cases) {
        await t.test(label, () => assertRefused(tree, command, out));
      }
      assert.equal(readFileSync(canary, 'utf8'), 'Written by hand; no tool may delete it.\n');
      assert.equal(readMark(othersOutput).kind, other);
    } finally { tree.cleanup(); }
  });

  test(`output: mxspec ${command} writes into an absent or empty folder, and <root>/dist/x`, async (t: TestContext) => {
    const tree = outputTree();
    try {
      mkdirSync(join(tree.work, 'empty'));
      const cases: [string, string][] = [
        ['an absent folder', join(tree.work, 'absent', 'out')],
        ['an empty folder', join(tree.work, 'empty')],
        ['<root>/dist/x', join(tree.root, 'dist', 'x')],
      ];
      for (const [label, out] of cases) {
        await t.test(label, () => {
          const inTree = (rel: string) => rel === 'dist' || rel.startsWith('dist/');
          const treeBefore = snapshot(tree.root, inTree);
          const r = run(command, tree.root, out);
          assert.equal(r.status, 0, r.stderr);
          assert.deepEqual(readMark(out), { writtenBy: 'mxspec', kind: command });
          assert.ok(extraFiles(out).length > 0, 'the output is complete');
          assert.deepEqual(snapshot(tree.root, inTree), treeBefore, 'the tree itself is untouched');
          assert.deepEqual(leftovers(out), []);
        });
      }
    } finally { tree.cleanup(); }
  });

  test(`output: mxspec ${command} run twice into one folder replaces the first output whole`, () => {
    const tree = outputTree();
    try {
      const out = join(tree.work, 'out');
      assert.equal(run(command, tree.root, out).status, 0);
      const first = extraFiles(out);
      assert.ok(first.length > 0, 'the first output has files for the extra API');
      rmSync(join(tree.root, 'data', 'api', 'extra'), { recursive: true });
      const r = run(command, tree.root, out);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(extraFiles(out), [], `${first.join(', ')}: only the first run wrote these, and they are gone`);
      assert.deepEqual(readMark(out), { writtenBy: 'mxspec', kind: command });
      assert.deepEqual(readdirSync(tree.work).sort(), ['out', 'secret.yaml', 'tree'], 'no temporary folder is left');
    } finally { tree.cleanup(); }
  });

  test(`output: mxspec ${command} refuses an --out reaching into the tree by a link`, () => {
    const tree = outputTree();
    try {
      symlinkSync(tree.root, join(tree.work, 'alias'));
      assertRefused(tree, command, join(tree.work, 'alias', 'data', 'generated'));
      assert.equal(existsSync(join(tree.root, 'data', 'generated')), false);
    } finally { tree.cleanup(); }
  });

  test(`output: a dist/ link in the tree cannot send mxspec ${command}'s output away`, () => {
    const tree = outputTree();
    try {
      // The tree is untrusted: its dist/ may be a symbolic link to any folder of the machine.
      mkdirSync(join(tree.work, 'elsewhere'));
      symlinkSync('../elsewhere', join(tree.root, 'dist'));
      assertRefused(tree, command, undefined);
      assert.deepEqual(readdirSync(join(tree.work, 'elsewhere')), []);
    } finally { tree.cleanup(); }
  });

  test(`output: mxspec ${command} fails in one line, leaving nothing, when --out cannot be created`, () => {
    const tree = outputTree();
    try {
      const file = join(tree.work, 'a-file');
      writeFileSync(file, 'A file, where the output folder\'s parent should be.\n');
      assertRefused(tree, command, join(file, 'out'), 1);
      assert.equal(existsSync(join(file, 'out')), false);
    } finally { tree.cleanup(); }
  });
}
