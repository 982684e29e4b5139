import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, REPO } from '../testing/support.js';

const FIXTURES = join(REPO, 'scripts', 'changelog', 'fixtures');
const PER_FOLDER = join(REPO, 'scripts', 'hardening', 'fixtures', 'towncrier', 'per-folder');

/**
 * A writable copy of a fixture project, so releases can consume its fragments. With `house`, the
 * copy gets this repository's templates/changelog/, which makes it a tree with the house notes.
 */
function copyOf(name: string, house = false): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'mxspec-changelog-'));
  cpSync(join(FIXTURES, name), root, { recursive: true });
  if (house) cpSync(join(REPO, 'templates', 'changelog'), join(root, 'templates', 'changelog'), { recursive: true });
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The fragments of a changelogs folder, as "<section>/<name>" (dot files, such as .gitkeep, are not fragments). */
function fragmentsOf(changelogs: string): string[] {
  const out: string[] = [];
  const names = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')) : []);
  for (const section of readdirSync(changelogs, { withFileTypes: true })) {
    if (!section.isDirectory()) continue;
    out.push(...names(join(changelogs, section.name, 'newsfragments')).map((f) => `${section.name}/${f}`));
  }
  out.push(...names(join(changelogs, 'newsfragments')));
  return out.sort();
}

const build = (...args: string[]) => ['changelog', 'build', ...args];

test('changelog build --draft: golden house notes of a tree configured in pyproject.toml '
  + '(sections, type order, merging, orphans, counters, hidden-content types, empty sections)', () => {
  const { root, cleanup } = copyOf('pyproject-form', true);
  try {
    const r = cli(build('--draft', '--version', 'v2.0', '--date', '2024-01-02', '--root', root));
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.equal(r.stdout, readFileSync(join(root, 'expected.md'), 'utf8'));
  } finally { cleanup(); }
});

test('changelog build --draft: the same tree without templates/changelog/ of its own gets towncrier\'s notes', () => {
  const root = join(FIXTURES, 'pyproject-form');
  const r = cli(build('--draft', '--version', 'v2.0', '--date', '2024-01-02', '--root', root));
  assert.equal(r.status, 0, r.stderr);
  const start = /^v2\.0 \(2024-01-02\)\n=+\nClient-Server API\n-+\n\nBackwards Compatible Changes\n~+\n\n- Add a field/;
  assert.match(r.stdout, start);
  const links = /^- \[#20\]\(https:\/\/example\.org\/pr\/20\), \[#21\]\(https:\/\/example\.org\/pr\/21\)$/m;
  assert.match(r.stdout, links, 'hidden content: one bullet of links');
  assert.match(r.stdout, /^Appendices\n-+\n\nNo significant changes\.$/m);
});

test('changelog build --draft: a plain towncrier project configured in towncrier.toml, reached with --dir', () => {
  const root = join(FIXTURES, 'towncrier-form');
  const r = cli(build('--draft', '--version', '1.0.0', '--date', '2024-05-06', '--dir', join(root, 'changelogs')));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, readFileSync(join(root, 'expected.md'), 'utf8'));
});

test('changelog build: every fragment of our own changelog appears in exactly one bullet', () => {
  const r = cli(build('--draft'));
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

test('changelog build: a release writes the notes, then removes the fragments; --keep keeps them; '
  + 'no overwrite without --force', () => {
  const { root, cleanup } = copyOf('pyproject-form', true);
  try {
    const changelogs = join(root, 'changelogs');
    const before = fragmentsOf(changelogs);
    const notes = join(changelogs, 'released', 'notes-v2.0.md');
    const kept = cli(build('--version', 'v2.0', '--date', '2024-01-02', '--keep', '--root', root));
    assert.equal(kept.status, 0, kept.stderr);
    assert.equal(readFileSync(notes, 'utf8'), readFileSync(join(root, 'expected.md'), 'utf8'));
    assert.deepEqual(fragmentsOf(changelogs), before);
    const again = cli(build('--version', 'v2.0', '--root', root));
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists; pass --force/);
    assert.deepEqual(fragmentsOf(changelogs), before);
    const released = cli(build('--version', 'v2.0', '--date', '2024-01-02', '--force', '--root', root));
    assert.equal(released.status, 0, released.stderr);
    assert.deepEqual(fragmentsOf(changelogs), []);
    assert.equal(readFileSync(notes, 'utf8'), readFileSync(join(root, 'expected.md'), 'utf8'));
  } finally { cleanup(); }
});

test('changelog build: a failure midway (the notes cannot be written) leaves every fragment in place '
  + 'and no partial file', () => {
  const { root, cleanup } = copyOf('pyproject-form', true);
  try {
    const changelogs = join(root, 'changelogs');
    writeFileSync(join(changelogs, 'released'), 'a file where the notes folder should be\n');
    const before = fragmentsOf(changelogs);
    const r = cli(build('--version', 'v2.0', '--root', root));
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
    const r = cli(build('--version', 'v2.0', '--root', root));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /30\.clarifcation:1:1 +error +"\.clarifcation" is not a fragment type; /);
    assert.match(r.stderr, /did you mean "\.clarification"\?/);
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
    const identity = ['-c', 'user.name=t', '-c', 'user.email=t@example.org'];
    const git = (...args: string[]) => spawnSync('git', ['-C', root, ...identity, ...args], { encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    const dir = join(root, 'changelogs');
    const none = cli(['changelog', 'check', '--against', 'HEAD', '--dir', dir, '--format', 'json']);
    assert.equal(none.status, 1);
    const found = (JSON.parse(none.stdout) as { rule: string; message: string }[]).map((d) => [d.rule, d.message]);
    assert.deepEqual(found, [['changelog-added', 'No changelog fragment was added since HEAD.']]);
    writeFileSync(join(dir, 'newsfragments', '102.feature'), 'Support restricted rooms.\n');
    const one = cli(['changelog', 'check', '--against', 'HEAD', '--dir', dir]);
    assert.equal(one.status, 0, one.stdout);
    const bad = cli(['changelog', 'check', '--against', 'no-such-ref', '--dir', dir]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^mxspec: git diff/);
  } finally { cleanup(); }
});

test('changelog: usage mistakes are one line and exit 2', () => {
  const mistakes = [
    ['changelog'], ['changelog', 'publish'], build(), build('--version', 'v1', '--date', '2024-02-30'),
    ['changelog', 'check', '--dir', '/nonexistent'], ['changelog', 'check', '--config', '/nonexistent.toml'],
  ];
  for (const args of mistakes) {
    const r = cli(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const help = cli(['changelog', '--help']);
  assert.equal(help.status, 0);
  const words = ['build', 'check', '--version', '--draft', '--keep', '--force', '--against', '--dir', '--out'];
  words.push('--config', '--name');
  for (const word of words) assert.ok(help.stdout.includes(word), word);
});

test('changelog build --dir --config --name: one configuration without sections, run per section folder '
  + 'as towncrier is', () => {
  const root = mkdtempSync(join(tmpdir(), 'mxspec-changelog-'));
  try {
    cpSync(PER_FOLDER, root, { recursive: true });
    const args = (section: string, name: string) => build(
      '--dir', `changelogs/${section}`, '--config', 'changelogs/pyproject.toml', '--name', name,
      '--version', 'v1.2', '--date', '2024-03-04',
    );
    const draft = cli([...args('client_server', 'Client-Server API'), '--draft'], root);
    assert.equal(draft.status, 0, draft.stderr);
    const start = /^Client-Server API v1\.2 \(2024-03-04\)\n={35}\n\nBreaking Changes\n-{16}\n\n- Require a reason/;
    assert.match(draft.stdout, start);
    // A release goes into the section's own CHANGES.md, after start_string, above the notes already there.
    const release = cli(args('server_server', 'Server-Server API'), root);
    assert.equal(release.status, 0, release.stderr);
    const news = readFileSync(join(root, 'changelogs', 'server_server', 'CHANGES.md'), 'utf8');
    const header = '# Server-Server API changes\n\n<!-- release notes start -->\n\n'
      + 'Server-Server API v1.2 (2024-03-04)\n';
    assert.ok(news.startsWith(header), news);
    assert.ok(news.indexOf('v1.2 (2024-03-04)') < news.indexOf('v1.1 (2021-11-09)'), 'newest first');
    const left = (section: string) => readdirSync(join(root, 'changelogs', section, 'newsfragments'));
    assert.deepEqual(left('server_server'), [], 'the fragments it used are gone');
    assert.equal(left('client_server').length, 9, 'the other folder is untouched');
  } finally { rmSync(root, { recursive: true, force: true }); }
});
