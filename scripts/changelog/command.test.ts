import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, REPO } from '../testing/support.js';

const FIXTURES = join(REPO, 'scripts', 'changelog', 'fixtures');

/** A writable copy of a fixture project, so releases can consume its fragments. */
function copyOf(name: string): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'mxspec-changelog-'));
  cpSync(join(FIXTURES, name), root, { recursive: true });
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function fragmentsOf(changelogs: string): string[] {
  const out: string[] = [];
  for (const section of readdirSync(changelogs, { withFileTypes: true })) {
    const dir = join(changelogs, section.name, 'newsfragments');
    if (section.isDirectory() && existsSync(dir)) for (const f of readdirSync(dir)) out.push(`${section.name}/${f}`);
  }
  if (existsSync(join(changelogs, 'newsfragments'))) for (const f of readdirSync(join(changelogs, 'newsfragments'))) out.push(f);
  return out.sort();
}

test('changelog build --draft: golden notes of a project configured in pyproject.toml (sections, type order, merging, orphans, counters, hidden-content types, empty sections)', () => {
  const root = join(FIXTURES, 'pyproject-form');
  const r = cli(['changelog', 'build', '--draft', '--version', 'v2.0', '--date', '2024-01-02', '--root', root]);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assert.equal(r.stdout, readFileSync(join(root, 'expected.md'), 'utf8'));
});

test('changelog build --draft: a plain towncrier project configured in towncrier.toml, reached with --dir', () => {
  const root = join(FIXTURES, 'towncrier-form');
  const r = cli(['changelog', 'build', '--draft', '--version', '1.0.0', '--date', '2024-05-06', '--dir', join(root, 'changelogs')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(join(root, 'expected.md'), 'utf8'));
});

test('changelog build: every fragment of our own changelog appears in exactly one bullet', () => {
  const r = cli(['changelog', 'build', '--draft']);
  assert.equal(r.status, 0, r.stderr);
  const bullets = r.stdout.split('\n').filter((l) => l.startsWith('- '));
  for (const fragment of fragmentsOf(join(REPO, 'changelogs'))) {
    const name = fragment.split('/').pop()!;
    const text = readFileSync(join(REPO, 'changelogs', fragment.replace('/', '/newsfragments/')), 'utf8').trim();
    const number = /^(\d+)\./.exec(name)?.[1];
    const holding = bullets.filter((b) => b.includes(text) && (number === undefined || b.includes(`[#${number}]`)));
    assert.equal(holding.length, 1, `${fragment} is in exactly one bullet`);
  }
  assert.ok(bullets.some((b) => /\[#3238\]\(.*\), \[#3332\]\(/.test(b)), 'identical texts merge, numbers ascending');
});

test('changelog build: a release writes the notes, then removes the fragments; --keep keeps them; no overwrite without --force', () => {
  const { root, cleanup } = copyOf('pyproject-form');
  try {
    const changelogs = join(root, 'changelogs');
    const before = fragmentsOf(changelogs);
    const notes = join(changelogs, 'released', 'notes-v2.0.md');
    const kept = cli(['changelog', 'build', '--version', 'v2.0', '--date', '2024-01-02', '--keep', '--root', root]);
    assert.equal(kept.status, 0, kept.stderr);
    assert.equal(readFileSync(notes, 'utf8'), readFileSync(join(root, 'expected.md'), 'utf8'));
    assert.deepEqual(fragmentsOf(changelogs), before);
    const again = cli(['changelog', 'build', '--version', 'v2.0', '--root', root]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists; pass --force/);
    assert.deepEqual(fragmentsOf(changelogs), before);
    const released = cli(['changelog', 'build', '--version', 'v2.0', '--date', '2024-01-02', '--force', '--root', root]);
    assert.equal(released.status, 0, released.stderr);
    assert.deepEqual(fragmentsOf(changelogs), []);
    assert.equal(readFileSync(notes, 'utf8'), readFileSync(join(root, 'expected.md'), 'utf8'));
  } finally { cleanup(); }
});

test('changelog build: a failure midway (the notes cannot be written) leaves every fragment in place and no partial file', () => {
  const { root, cleanup } = copyOf('pyproject-form');
  try {
    const changelogs = join(root, 'changelogs');
    writeFileSync(join(changelogs, 'released'), 'a file where the notes folder should be\n');
    const before = fragmentsOf(changelogs);
    const r = cli(['changelog', 'build', '--version', 'v2.0', '--root', root]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^mxspec: cannot write .*notes-v2\.0\.md/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.deepEqual(fragmentsOf(changelogs), before);
  } finally { cleanup(); }
});

test('changelog build: bad fragments stop the build with their diagnostics, and nothing changes', () => {
  const { root, cleanup } = copyOf('pyproject-form');
  try {
    const changelogs = join(root, 'changelogs');
    writeFileSync(join(changelogs, 'client_server', 'newsfragments', '30.clarifcation'), 'Explain the lamp.\n');
    const before = fragmentsOf(changelogs);
    const r = cli(['changelog', 'build', '--version', 'v2.0', '--root', root]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /30\.clarifcation:1:1 +error +"\.clarifcation" is not a fragment type; did you mean "\.clarification"\?/);
    assert.equal(existsSync(join(changelogs, 'released')), false);
    assert.deepEqual(fragmentsOf(changelogs), before);
    const lint = cli(['lint', '--root', root, '--format', 'json']);
    assert.equal(lint.status, 1, 'mxspec lint (and so npm run build) fails on the bad fragment');
    assert.ok((JSON.parse(lint.stdout) as { rule: string }[]).some((d) => d.rule === 'changelog-fragment'));
  } finally { cleanup(); }
});

test('changelog check --against: a change must add a fragment', () => {
  const { root, cleanup } = copyOf('towncrier-form');
  try {
    const git = (...args: string[]) => spawnSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    const none = cli(['changelog', 'check', '--against', 'HEAD', '--dir', join(root, 'changelogs'), '--format', 'json']);
    assert.equal(none.status, 1);
    assert.deepEqual((JSON.parse(none.stdout) as { rule: string; message: string }[]).map((d) => [d.rule, d.message]), [['changelog-added', 'No changelog fragment was added since HEAD.']]);
    writeFileSync(join(root, 'changelogs', 'newsfragments', '102.feature'), 'Support restricted rooms.\n');
    const one = cli(['changelog', 'check', '--against', 'HEAD', '--dir', join(root, 'changelogs')]);
    assert.equal(one.status, 0, one.stdout);
    const bad = cli(['changelog', 'check', '--against', 'no-such-ref', '--dir', join(root, 'changelogs')]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^mxspec: git diff/);
  } finally { cleanup(); }
});

test('changelog: usage mistakes are one line and exit 2', () => {
  for (const args of [['changelog'], ['changelog', 'publish'], ['changelog', 'build'], ['changelog', 'build', '--version', 'v1', '--date', '2024-02-30'], ['changelog', 'check', '--dir', '/nonexistent']]) {
    const r = cli(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const help = cli(['changelog', '--help']);
  assert.equal(help.status, 0);
  for (const word of ['build', 'check', '--version', '--draft', '--keep', '--force', '--against', '--dir', '--out']) assert.ok(help.stdout.includes(word), word);
});
