import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { buildFromRoot } from '../site/command.js';
import { searchIndex } from '../site/search-index.js';
import { cli, REPO } from '../testing/support.js';

const BASE = join(REPO, 'scripts', 'hardening', 'fixtures', 'site-tree');
const WORK = mkdtempSync(join(tmpdir(), 'mxspec-site-tree-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

interface Run { status: number | null; stdout: string; stderr: string }

/** The real CLI, run from the work folder (`cli` has a time limit: an opened FIFO would block forever). */
const mxspec = (args: string[]): Run => cli(args, WORK);

interface Finding { place: string; severity: string; message: string; rule: string }

/** The finding lines of stylish output: `  file:line:col  severity  message  rule`. */
function findings(stderr: string): Finding[] {
  const out: Finding[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('  ') || line.startsWith('   ')) continue;
    const fields = line.trim().split(/ {2,}/);
    if (fields.length !== 4 || !/^[^\s:]+:\d+:\d+$/.test(fields[0]!)) continue;
    out.push({ place: fields[0]!, severity: fields[1]!, message: fields[2]!, rule: fields[3]! });
  }
  return out;
}

function assertNoCrash(r: Run): void {
  assert.notEqual(r.status, null, 'the command finished within its time limit');
  assert.ok(!r.stderr.includes('internal error'), r.stderr);
  assert.ok(!r.stderr.includes('    at '), `no stack trace:\n${r.stderr}`);
}

/** A fresh copy of the committed base tree. */
function baseTree(name: string): string {
  const root = join(WORK, name);
  cpSync(BASE, root, { recursive: true });
  return root;
}

/** Every file the site would write, search index included, as text. */
async function builtText(root: string): Promise<string[]> {
  const { build } = await buildFromRoot(root);
  return [...build.files.values()].map((v) => v.toString('utf8')).concat(searchIndex(build.searchDocs()));
}

/** The outside world the hostile tree points at: a file with a unique marker, and a FIFO. */
function outsideFiles(): { dir: string; marker: string } {
  const dir = mkdtempSync(join(WORK, 'outside-'));
  const marker = `OUTSIDE-${randomBytes(8).toString('hex')}`;
  writeFileSync(join(dir, 'secret.md'), `---\ntitle: ${marker}\n---\n${marker}\n`);
  writeFileSync(join(dir, 'secret.css'), `body::after { content: "${marker}"; }\n`);
  execFileSync('mkfifo', [join(dir, 'pipe.md')]);
  return { dir, marker };
}

/** Adds every kind of hostile page to a tree; returns the include paths used, by line. */
function addHostilePages(root: string, outside: string): void {
  const site = join(root, 'site');
  const climb = relative(site, join(outside, 'secret.md'));
  const encoded = climb.split('/').map((s) => (s === '..' ? '%2e%2e' : s)).join('/');
  writeFileSync(join(site, 'leaks.md'), [
    '---', 'title: Leaks', '---', 'Every include below is refused.', '',
    `::include{file=${climb}}`,
    `::include{file=${join(outside, 'secret.md')}}`,
    `::include{file=${encoded}}`,
    '::include{file=_parts/out.md}',
    '::include{file=_parts/pipe-link.md}',
    '::include{file=_parts/fifo.md}',
    '::include{file=_parts}',
    '::include{file=_parts/missing.md}',
    '',
  ].join('\n'));
  symlinkSync(join(outside, 'secret.md'), join(site, '_parts', 'out.md'));
  symlinkSync(join(outside, 'pipe.md'), join(site, '_parts', 'pipe-link.md'));
  execFileSync('mkfifo', [join(site, '_parts', 'fifo.md')]);
  symlinkSync(join(outside, 'secret.md'), join(site, 'linked.md'));
  symlinkSync('loop.md', join(site, 'loop.md'));
  execFileSync('mkfifo', [join(site, 'pipe.md')]);
  writeFileSync(join(site, 'no-title.md'), 'A page that forgot its front matter.\n');
  writeFileSync(join(site, 'bad-yaml.md'), '---\ntitle: Fine\nweight: [1, 2\n---\nBody.\n');
  writeFileSync(join(site, 'unclosed.md'), '---\ntitle: Never closed\n\nBody.\n');
  writeFileSync(join(site, 'unknown.md'), '---\ntitle: Unknown\n---\nText.\n\n::nonsense{x=1}\n\n::constructor\n');
  cpSync(join(REPO, 'site', 'assets'), join(site, 'assets'), { recursive: true });
  symlinkSync(join(outside, 'secret.css'), join(site, 'assets', 'leak.css'));
}

test('site-tree: nothing outside the tree is read; every broken page is reported at its line', async () => {
  const { dir: outside, marker } = outsideFiles();
  const root = baseTree('hostile');
  addHostilePages(root, outside);
  const r = mxspec(['site', '--root', root, '--out', join(WORK, 'hostile-out')]);
  assertNoCrash(r);
  assert.equal(r.status, 1);
  const expected: [string, string, string][] = [
    ['site/assets/leak.css:1:1', 'site-asset', 'site/assets/leak.css is a symbolic link to'],
    ['site/bad-yaml.md:3:1', 'site-page', 'front matter is not valid YAML'],
    ['site/leaks.md:6:1', 'site-page', '::include names "../'],
    ['site/leaks.md:7:1', 'site-page', `::include names "${join(outside, 'secret.md')}", which is absolute`],
    ['site/leaks.md:8:1', 'site-page', '::include names "%2e%2e/'],
    ['site/leaks.md:9:1', 'site-page', '::include names site/_parts/out.md, a symbolic link that leads out of site/'],
    ['site/leaks.md:10:1', 'site-page', '::include names site/_parts/pipe-link.md, a symbolic link that leads out'],
    ['site/leaks.md:11:1', 'site-page', '::include names site/_parts/fifo.md: site/_parts/fifo.md is not a regular'],
    ['site/leaks.md:12:1', 'site-page', '::include names site/_parts: site/_parts is a folder'],
    ['site/leaks.md:13:1', 'site-page', '::include names site/_parts/missing.md: site/_parts/missing.md does not'],
    ['site/linked.md:1:1', 'site-page', 'site/linked.md is a symbolic link to'],
    ['site/loop.md:1:1', 'site-page', 'site/loop.md is a symbolic link that leads nowhere (it loops)'],
    ['site/no-title.md:1:1', 'site-page', 'the page has no title'],
    ['site/pipe.md:1:1', 'site-page', 'site/pipe.md is not a regular file'],
    ['site/unclosed.md:1:1', 'site-page', 'the front matter opened by "---" is never closed'],
    ['site/unknown.md:6:1', 'site-directive', 'unknown directive "::nonsense"'],
    ['site/unknown.md:8:1', 'site-directive', 'unknown directive "::constructor"'],
  ];
  const found = findings(r.stderr).filter((f) => f.severity === 'error');
  const places = expected.map(([place, rule]) => `${place} ${rule}`);
  assert.deepEqual(found.map((f) => `${f.place} ${f.rule}`), places, r.stderr);
  found.forEach((f, i) => {
    assert.ok(f.message.startsWith(expected[i]![2]), `${f.message}\n  should start with ${expected[i]![2]}`);
  });
  assert.ok(found[2]!.message.includes('climbs out with ".."'));
  assert.ok(found[4]!.message.includes('never percent-encoded'));
  assert.ok(!r.stderr.includes(marker), 'the outside file is never shown');
  assert.ok(!lstatSync(join(WORK, 'hostile-out'), { throwIfNoEntry: false }), 'a failed build writes nothing');

  // What the site would have written (pages, search index, OpenAPI documents) holds none of it either.
  const texts = await builtText(root);
  assert.ok(texts.length > 5);
  for (const text of texts) assert.ok(!text.includes(marker), 'no byte of the outside file is in the site');
  assert.ok(texts.some((t) => t.includes('Stores a widget under a name.')), 'the good pages are still built');
});

/** Every entry under a folder: type, and for files a hash of their content; links by their target. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      const rel = relative(dir, abs);
      if (e.isSymbolicLink()) out.set(rel, `link ${readlinkSync(abs)}`);
      else if (e.isDirectory()) { out.set(rel, 'folder'); walk(abs); }
      else out.set(rel, createHash('sha256').update(readFileSync(abs)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

test('site-tree: --out refuses the tree, a folder holding or inside it, a file, a folder it did not write', () => {
  const parent = mkdtempSync(join(WORK, 'out-'));
  const root = join(parent, 'tree');
  cpSync(BASE, root, { recursive: true });
  mkdirSync(join(parent, 'full'));
  writeFileSync(join(parent, 'full', 'canary.txt'), 'still here\n');
  writeFileSync(join(parent, 'file.txt'), 'a file, not a folder\n');
  mkdirSync(join(parent, 'empty'));
  symlinkSync(join(parent, 'empty'), join(parent, 'link'));
  mkdirSync(join(parent, 'typings'));
  writeFileSync(join(parent, 'typings', '.mxspec-output'), '{"writtenBy":"mxspec","kind":"types"}\n');
  const refusals: [string, string][] = [
    [root, 'is the spec tree or holds it'],
    [parent, 'is the spec tree or holds it'],
    [join(root, 'data', 'out'), 'is inside the spec tree'],
    [join(parent, 'full'), 'holds files mxspec did not write'],
    [join(parent, 'file.txt'), 'is a file'],
    [join(parent, 'link'), 'is a symbolic link'],
    [join(parent, 'typings'), 'holds the output of mxspec types'],
  ];
  const before = snapshot(parent);
  for (const [out, reason] of refusals) {
    const r = mxspec(['site', '--root', root, '--out', out]);
    assertNoCrash(r);
    assert.equal(r.status, 2, `${out}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0]!.startsWith(`mxspec: --out ${out} `) && lines[0]!.includes(reason), lines[0]);
  }
  assert.deepEqual(snapshot(parent), before, 'nothing changed anywhere');
  assert.equal(readFileSync(join(parent, 'full', 'canary.txt'), 'utf8'), 'still here\n');

  // A new folder, and then the same folder again (it carries mxspec's mark), are written.
  for (let i = 0; i < 2; i++) {
    const ok = mxspec(['site', '--root', root, '--out', join(parent, 'site-out')]);
    assert.equal(ok.status, 0, ok.stderr);
  }
  const after = snapshot(parent);
  for (const [rel, kind] of before) assert.equal(after.get(rel), kind, rel);
  const added = [...after.keys()].filter((rel) => !before.has(rel));
  assert.ok(added.every((rel) => rel === 'site-out' || rel.startsWith(`site-out${'/'}`)), added.join('\n'));
  assert.ok(added.includes(join('site-out', 'client-server-api', 'index.html')));
});
