import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from '../core/diagnostic.js';
import { REPO, tempTree, type CliResult } from '../testing/support.js';

/**
 * Hostile changelog folders: every entry a stranger's pull request can put in a fragment folder
 * becomes one located diagnostic, never a crash, a hang or a read outside the tree, and the other
 * fragments are still read and checked. Trees are built here, in temporary folders, because links
 * to /etc/passwd, FIFOs and link loops cannot be committed.
 */

const CONFIG = `[tool.towncrier]
issue_format = "#{issue}"
[[tool.towncrier.section]]
path = "cs"
name = "Client-Server API"
[[tool.towncrier.section]]
path = "ss"
name = "Server-Server API"
`;

const CS = 'changelogs/cs/newsfragments';

/** Runs the CLI with a time limit: a FIFO that were opened would block forever. */
function run(args: string[]): CliResult {
  const env = { ...process.env, NO_COLOR: '1' };
  const options = { encoding: 'utf8' as const, timeout: 60_000, env };
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'mxspec.js'), ...args], options);
  assert.equal(r.signal, null, `mxspec ${args.join(' ')} finished on its own`);
  assert.doesNotMatch(r.stderr, /internal error|\n {4}at /, 'no stack trace');
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A tree with two good fragments (one without a full stop, a house warning) and one hostile entry. */
function hostileTree(make: (root: string) => void): { root: string; cleanup(): void } {
  const tree = tempTree({
    'changelogs/pyproject.toml': CONFIG,
    [`${CS}/1.feature`]: 'Add the lamp\n',
    'changelogs/ss/newsfragments/3.feature': 'Add the switch.\n',
  });
  make(tree.root);
  return tree;
}

interface Case {
  name: string;
  make(root: string): void;
  /** file:line:col of the finding, and the start of its message. */
  at: string;
  message: string;
}

const CASES: Case[] = [
  {
    name: 'a broken symbolic link', at: `${CS}/2.feature:1:1`,
    make: (root) => symlinkSync('nowhere', join(root, CS, '2.feature')),
    message: `${CS}/2.feature is a symbolic link that leads nowhere.`,
  },
  {
    name: 'a symbolic link out of the tree', at: `${CS}/2.feature:1:1`,
    make: (root) => symlinkSync('/etc/passwd', join(root, CS, '2.feature')),
    message: `${CS}/2.feature is a symbolic link to /etc/passwd, outside the spec tree`,
  },
  {
    name: 'a sub-folder', at: `${CS}/2.feature:1:1`,
    make: (root) => mkdirSync(join(root, CS, '2.feature')),
    message: `${CS}/2.feature is a folder, not a fragment.`,
  },
  {
    name: 'a FIFO', at: `${CS}/2.feature:1:1`,
    make: (root) => assert.equal(spawnSync('mkfifo', [join(root, CS, '2.feature')]).status, 0, 'mkfifo'),
    message: `${CS}/2.feature is not a regular file (a FIFO, socket or device); it is not read.`,
  },
  {
    name: 'an unreadable folder (a symbolic link loop)', at: 'changelogs/ss/newsfragments:1:1',
    make: (root) => {
      const folder = join(root, 'changelogs', 'ss', 'newsfragments');
      spawnSync('rm', ['-r', folder]);
      symlinkSync('newsfragments', folder);
    },
    message: 'The folder changelogs/ss/newsfragments cannot be read (ELOOP: a symbolic link loop).',
  },
  {
    name: 'a fragment in invalid UTF-8', at: `${CS}/2.feature:2:8`,
    make: (root) => writeFileSync(
      join(root, CS, '2.feature'), Buffer.from('Explain the\nlamp\'s \xff light.\n', 'latin1'),
    ),
    message: 'The fragment is not valid UTF-8 from here on',
  },
  {
    name: 'an empty file', at: `${CS}/2.feature:1:1`,
    make: (root) => writeFileSync(join(root, CS, '2.feature'), ''),
    message: 'The fragment is empty.',
  },
];

const place = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}`;

for (const c of CASES) {
  test(`hostile fragments: ${c.name} is one located changelog-fragment error; the other fragments are checked`, () => {
    const { root, cleanup } = hostileTree(c.make);
    try {
      const check = run(['changelog', 'check', '--root', root, '--format', 'json']);
      assert.equal(check.status, 1, check.stderr);
      const found = JSON.parse(check.stdout) as Diagnostic[];
      const errors = found.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => `${place(d)} ${d.rule}`), [`${c.at} changelog-fragment`]);
      assert.ok(errors[0]!.message.startsWith(c.message), errors[0]!.message);
      // The good fragment beside it was read and checked: its house-style finding is there, as a warning.
      const sibling = (d: Diagnostic) => place(d) === `${CS}/1.feature:1:12` && d.rule === 'changelog-style';
      assert.ok(found.some((d) => sibling(d) && d.severity === 'warn'), check.stdout);

      const build = run(['changelog', 'build', '--draft', '--root', root]);
      assert.equal(build.status, 1);
      assert.equal(build.stdout, '', 'nothing is rendered while a fragment is broken');
      assert.ok(build.stderr.includes(`${c.at}  error  ${c.message}`), build.stderr);

      const lint = run(['lint', '--root', root, '--format', 'json']);
      assert.equal(lint.status, 1);
      const linted = (JSON.parse(lint.stdout) as Diagnostic[]).map((d) => `${place(d)} ${d.rule}`);
      assert.deepEqual(linted, [`${c.at} changelog-fragment`], 'mxspec lint finds it too');
    } finally { cleanup(); }
  });
}

test('hostile fragments: every hostile entry at once gives one finding each; without them the rest renders', () => {
  const { root, cleanup } = hostileTree((r) => {
    symlinkSync('nowhere', join(r, CS, '2.feature'));
    symlinkSync('/etc/passwd', join(r, CS, '4.feature'));
    mkdirSync(join(r, CS, '5.feature'));
    assert.equal(spawnSync('mkfifo', [join(r, CS, '6.feature')]).status, 0);
    writeFileSync(join(r, CS, '7.feature'), Buffer.from([0x41, 0xc3, 0x28, 0x2e]));
    writeFileSync(join(r, CS, '8.feature'), '  \n');
  });
  try {
    const check = run(['changelog', 'check', '--root', root, '--format', 'json']);
    assert.equal(check.status, 1);
    const errors = (JSON.parse(check.stdout) as Diagnostic[]).filter((d) => d.severity === 'error');
    const places = ['2:1:1', '4:1:1', '5:1:1', '6:1:1', '7:1:2', '8:1:1'];
    const expected = places.map((p) => `${CS}/${p.replace(':', '.feature:')}`);
    assert.deepEqual(errors.map(place), expected);
    for (const n of ['2', '4', '5', '6', '7', '8']) spawnSync('rm', ['-r', join(root, CS, `${n}.feature`)]);
    const build = run(['changelog', 'build', '--draft', '--version', '1.0', '--date', '2024-03-04', '--root', root]);
    assert.equal(build.status, 0, build.stderr);
    assert.match(build.stdout, /^- Add the lamp \(#1\)$/m);
    assert.match(build.stdout, /^- Add the switch\. \(#3\)$/m);
    const warning = /1\.feature:1:12 +warn +The entry does not end with a full stop\./;
    assert.match(build.stderr, warning, 'the house rule warns, and does not block');
  } finally { cleanup(); }
});

test('hostile configuration: paths out of the changelogs folder are refused in one line naming the setting', () => {
  const settings: [string, string][] = [
    ['filename = "../../../tmp/mxspec-escape.md"', 'filename'],
    ['filename = "/tmp/mxspec-escape.md"', 'filename'],
    ['directory = "../.."', 'directory'],
    ['template = "../../../../etc/passwd"', 'template'],
    ['template = "notes.jinja"', 'template'],
  ];
  for (const [setting, name] of settings) {
    const { root, cleanup } = tempTree({
      'changelogs/pyproject.toml': `[tool.towncrier]\n${setting}\n`,
      'changelogs/newsfragments/1.feature': 'Add the lamp.\n',
    });
    try {
      symlinkSync('/etc/passwd', join(root, 'changelogs', 'notes.jinja'));
      for (const args of [['build', '--version', '1.0'], ['build', '--draft'], ['check']]) {
        const r = run(['changelog', ...args, '--root', root]);
        assert.equal(r.status, 2, `${setting}: ${r.stderr}`);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, new RegExp(`^mxspec: changelogs/pyproject\\.toml: ${name} `), r.stderr);
      }
      assert.equal(existsSync('/tmp/mxspec-escape.md'), false);
    } finally { cleanup(); }
  }
  const { root, cleanup } = tempTree({
    'changelogs/pyproject.toml': '[tool.towncrier]\n[[tool.towncrier.section]]\n'
      + 'path = "../../elsewhere"\nname = "Out"\n',
  });
  try {
    const r = run(['changelog', 'check', '--root', root]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^mxspec: changelogs\/pyproject\.toml: section path "\.\.\/\.\.\/elsewhere" leads outside /);
  } finally { cleanup(); }
});

test('hostile configuration: a release folder linked out of the tree is refused before anything changes', () => {
  const { root, cleanup } = tempTree({
    'changelogs/pyproject.toml': '[tool.towncrier]\nfilename = "releases/{version}.md"\nsingle_file = false\n',
    'changelogs/newsfragments/1.feature': 'Add the lamp.\n',
  });
  try {
    const outside = join(root, '..', `${root.split('/').pop()!}-outside`);
    mkdirSync(outside);
    symlinkSync(outside, join(root, 'changelogs', 'releases'));
    const r = run(['changelog', 'build', '--version', '1.0', '--root', root]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^mxspec: changelogs\/pyproject\.toml: filename "releases\/\{version\}\.md" leads outside /);
    assert.deepEqual(readdirSync(outside), []);
    assert.equal(existsSync(join(root, 'changelogs', 'newsfragments', '1.feature')), true);
    spawnSync('rm', ['-r', outside]);
  } finally { cleanup(); }
});

test('--version must be a sane version: no path separators, "..", spaces, control characters or leading dot', () => {
  const { root, cleanup } = tempTree({
    'changelogs/pyproject.toml': '[tool.towncrier]\n', 'changelogs/newsfragments/1.feature': 'Add the lamp.\n',
  });
  try {
    for (const bad of ['../../x', 'a/b', 'a\\b', 'v1 .3', '.hidden', 'v1..3', 'v1\u0007', 'x'.repeat(65)]) {
      const r = run(['changelog', 'build', '--draft', '--version', bad, '--root', root]);
      assert.equal(r.status, 2, JSON.stringify(bad));
      assert.match(r.stderr, /^mxspec: --version ".*" is not a version/);
    }
    for (const good of ['v1.3', '1.3.0', 'r0.6.1', '1.3.0-rc.1', 'Unreleased', '2.0+build_7']) {
      const r = run(['changelog', 'build', '--draft', '--version', good, '--date', '2024-03-04', '--root', root]);
      assert.equal(r.status, 0, `${good}: ${r.stderr}`);
      assert.ok(r.stdout.startsWith(`${good} (2024-03-04)\n`), r.stdout);
    }
  } finally { cleanup(); }
});

test('a release deletes only the fragment files it used: a link into the tree goes; its target, '
  + 'dot files and other files stay', () => {
  const { root, cleanup } = tempTree({
    'changelogs/pyproject.toml': '[tool.towncrier]\nfilename = "NEWS.md"\n',
    'changelogs/newsfragments/1.feature': 'Add the lamp.\n',
    'changelogs/newsfragments/.gitkeep': '',
    'changelogs/notes/shared.txt': 'Share one text between two fragments.\n',
  });
  try {
    const fragments = join(root, 'changelogs', 'newsfragments');
    symlinkSync('../notes/shared.txt', join(fragments, '2.feature'));
    const r = run(['changelog', 'build', '--version', '1.0', '--date', '2024-03-04', '--root', root]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /removed 2 fragments/);
    assert.deepEqual(readdirSync(fragments), ['.gitkeep']);
    const shared = 'Share one text between two fragments.';
    assert.equal(readFileSync(join(root, 'changelogs', 'notes', 'shared.txt'), 'utf8'), `${shared}\n`);
    assert.ok(readFileSync(join(root, 'changelogs', 'NEWS.md'), 'utf8').includes(`- ${shared} (#2)`));
  } finally { cleanup(); }
});
