import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, REPO, type CliResult } from '../testing/support.js';

/**
 * Parity with towncrier itself (Debian's 22.12): the same fixture projects, built by towncrier and
 * by mxspec, give the same bytes, as drafts and as written news files. Each project is copied
 * twice to a temporary folder, once for each tool, so neither sees what the other wrote.
 */

const FIXTURES = join(REPO, 'scripts', 'hardening', 'fixtures', 'towncrier');
const DATE = '2024-03-04';

const towncrierSkip: string | false = spawnSync('towncrier', ['--version'], { encoding: 'utf8' }).status === 0
  ? false
  : 'towncrier is not on PATH (apt-get install towncrier; .ci/run installs it), '
    + 'so there is nothing to compare mxspec with';

const skip = { skip: towncrierSkip };

interface Run {
  /** Build options both tools take, relative to the project folder (their working folder). */
  args: string[];
  /** The news file the build writes, relative to the project folder. */
  newsFile: string;
}

interface Project {
  fixture: string;
  covers: string;
  version: string;
  runs: Run[];
  /** What towncrier needs that mxspec does not (a folder it refuses to find missing). */
  forTowncrier?(dir: string): void;
}

const perFolder = (section: string, name: string): Run => ({
  args: ['--dir', `changelogs/${section}`, '--config', 'changelogs/pyproject.toml', '--name', name],
  newsFile: `changelogs/${section}/CHANGES.md`,
});

const PROJECTS: Project[] = [
  {
    fixture: 'sections-table', version: '1.0', runs: [{ args: ['--dir', '.'], newsFile: 'NEWS.rst' }],
    covers: 'sections; types as [tool.towncrier.fragment.*] tables; one text under several numbers; '
      + '.1/.2 counters; orphans; a ticket that is not a number; showcontent = false; an empty section; '
      + 'issue_format; insertion after start_string',
  },
  {
    fixture: 'per-folder', version: 'v1.2',
    runs: [perFolder('client_server', 'Client-Server API'), perFolder('server_server', 'Server-Server API')],
    covers: 'no sections, run per folder with --dir, --config and --name; types as [[tool.towncrier.type]]; '
      + 'title_format; underlines; a custom start_string; a new news file and an existing one',
  },
  {
    fixture: 'jinja-template', version: '0.2.0', runs: [{ args: ['--dir', '.'], newsFile: 'CHANGELOG.md' }],
    covers: 'a Jinja template of the project; directory; a Markdown title_format with empty underlines; wrap',
  },
  {
    fixture: 'missing-section', version: '2.0', runs: [{ args: ['--dir', '.'], newsFile: 'releases/2.0.rst' }],
    covers: 'a missing section folder; towncrier\'s default types; all_bullets = false; wrap; '
      + 'single_file = false; orphan_prefix',
    forTowncrier: (dir) => mkdirSync(join(dir, 'tools', 'newsfragments'), { recursive: true }),
  },
];

interface Copies { towncrier: string; mxspec: string; cleanup(): void }

function copies(fixture: string, forTowncrier?: (dir: string) => void): Copies {
  const base = mkdtempSync(join(tmpdir(), 'mxspec-towncrier-'));
  const [towncrier, mxspec] = [join(base, 'towncrier'), join(base, 'mxspec')];
  cpSync(join(FIXTURES, fixture), towncrier, { recursive: true });
  cpSync(join(FIXTURES, fixture), mxspec, { recursive: true });
  forTowncrier?.(towncrier);
  return { towncrier, mxspec, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** towncrier build in a folder; git is pointed nowhere, so staging the news file touches no repository. */
function towncrier(cwd: string, args: string[]): CliResult {
  const env = { ...process.env, GIT_DIR: join(cwd, 'no-git-here') };
  const r = spawnSync('towncrier', ['build', ...args], { cwd, encoding: 'utf8', env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function mxspec(cwd: string, args: string[]): CliResult {
  const r = cli(['changelog', 'build', ...args], cwd);
  assert.doesNotMatch(r.stderr, /internal error|\n {4}at /, 'no stack trace');
  return r;
}

/** towncrier prints the draft with click.echo, which adds a line break after the notes; the notes are the rest. */
function draftOf(r: CliResult): string {
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.endsWith('\n\n'), 'towncrier ends its draft with the notes\' line break and one of its own');
  return r.stdout.slice(0, -1);
}

function fragmentFiles(dir: string): string[] {
  const types = ['feature', 'bugfix', 'doc', 'removal', 'misc', 'breaking', 'clarification', 'internal'];
  types.push('added', 'fixed', 'removed', 'security');
  const all = readdirSync(dir, { recursive: true }) as string[];
  return all.filter((p) => p.split('.').some((part) => types.includes(part))).sort();
}

for (const project of PROJECTS) {
  test(`towncrier parity, ${project.fixture} (${project.covers}): the drafts are byte-identical`, skip, () => {
    const c = copies(project.fixture, project.forTowncrier);
    try {
      for (const run of project.runs) {
        const args = ['--draft', '--version', project.version, '--date', DATE, ...run.args];
        const expected = draftOf(towncrier(c.towncrier, args));
        const mine = mxspec(c.mxspec, args);
        assert.equal(mine.status, 0, mine.stderr);
        assert.equal(mine.stdout, expected, `mxspec changelog build ${args.join(' ')}`);
      }
    } finally { c.cleanup(); }
  });

  test(`towncrier parity, ${project.fixture}: a release writes the same news file, fragments kept`, skip, () => {
    const c = copies(project.fixture, project.forTowncrier);
    try {
      const before = fragmentFiles(c.mxspec);
      for (const run of project.runs) {
        const args = ['--keep', '--version', project.version, '--date', DATE, ...run.args];
        const t = towncrier(c.towncrier, args);
        assert.equal(t.status, 0, t.stderr);
        const m = mxspec(c.mxspec, args);
        assert.equal(m.status, 0, m.stderr);
        const written = readFileSync(join(c.mxspec, run.newsFile));
        const theirs = readFileSync(join(c.towncrier, run.newsFile));
        assert.ok(written.equals(theirs), `${run.newsFile} differs:\n${written.toString('utf8')}`);
      }
      assert.deepEqual(fragmentFiles(c.mxspec), before, '--keep keeps every fragment');
    } finally { c.cleanup(); }
  });
}

test('towncrier parity: a second release of the same version is refused by both when title_format names it, '
  + 'and the file is untouched', skip, () => {
  const c = copies('per-folder');
  try {
    const run = perFolder('server_server', 'Server-Server API');
    const args = ['--keep', '--version', 'v1.2', '--date', DATE, ...run.args];
    assert.equal(towncrier(c.towncrier, args).status, 0);
    assert.equal(mxspec(c.mxspec, args).status, 0);
    const once = readFileSync(join(c.mxspec, run.newsFile), 'utf8');
    const t = towncrier(c.towncrier, args);
    assert.notEqual(t.status, 0);
    assert.match(t.stderr, /already produced newsfiles for this version/);
    const m = mxspec(c.mxspec, args);
    assert.equal(m.status, 2);
    const refusal = /^mxspec: the news file already holds notes titled "Server-Server API v1\.2 \(2024-03-04\)"/;
    assert.match(m.stderr, refusal);
    assert.match(m.stderr, /pass --force/);
    assert.equal(readFileSync(join(c.mxspec, run.newsFile), 'utf8'), once);
  } finally { c.cleanup(); }
});

test('towncrier parity: towncrier 22.12 stops on a missing section folder, which mxspec reads as empty '
  + 'without creating it', skip, () => {
  const c = copies('missing-section');
  try {
    const args = ['--draft', '--version', '2.0', '--date', DATE, '--dir', '.'];
    const t = towncrier(c.mxspec, args);
    assert.notEqual(t.status, 0);
    assert.match(t.stderr, /Failed to list the news fragment files/);
    const m = mxspec(c.mxspec, args);
    assert.equal(m.status, 0, m.stderr);
    assert.match(m.stdout, /^Tools\n-----\n\nNo significant changes\.\n$/m);
    assert.equal(existsSync(join(c.mxspec, 'tools')), false);
  } finally { c.cleanup(); }
});

/** Entries of notes, as "section / type / text": the bullets, with continuation lines joined. */
type Heading = (line: string, next: string) => { section?: string; type?: string } | undefined;

function entries(notes: string, heading: Heading): string[] {
  const out: string[] = [];
  const lines = notes.split('\n');
  let [section, type] = ['', ''];
  lines.forEach((line, i) => {
    const h = heading(line, lines[i + 1] ?? '');
    if (h?.section !== undefined) [section, type] = [h.section, ''];
    if (h?.type !== undefined) type = h.type;
    if (line.startsWith('- ')) out.push(`${section} / ${type} / ${line.slice(2)}`);
    else if (line.startsWith('  ') && out.length) out[out.length - 1] += ` ${line.trim()}`;
  });
  return out.sort();
}

/** towncrier's default headings: a section underlined with "-", a type with "~". */
const rstHeading: Heading = (line, next) => {
  if (!line) return undefined;
  return /^-+$/.test(next) ? { section: line } : /^~+$/.test(next) ? { type: line } : undefined;
};

/** The house headings: "### Section", "**Type**". */
const houseHeading: Heading = (line) => {
  if (line.startsWith('### ')) return { section: line.slice(4) };
  return /^\*\*.+\*\*$/.test(line) ? { type: line.slice(2, -2) } : undefined;
};

test('towncrier reads our own changelogs/pyproject.toml and finds the entries of mxspec\'s house notes', skip, () => {
  const base = mkdtempSync(join(tmpdir(), 'mxspec-towncrier-own-'));
  try {
    cpSync(join(REPO, 'changelogs'), join(base, 'changelogs'), { recursive: true });
    const args = ['--draft', '--version', 'v1.3', '--date', DATE, '--dir', 'changelogs'];
    const theirs = draftOf(towncrier(base, args));
    const house = cli(['changelog', 'build', '--draft', '--version', 'v1.3', '--date', DATE]);
    assert.equal(house.status, 0, house.stderr);
    const rst = entries(theirs, rstHeading);
    const md = entries(house.stdout, houseHeading);
    assert.ok(rst.length >= 20, `towncrier found our fragments (${rst.length} entries)`);
    assert.deepEqual(rst, md);
    // The same folder, as a towncrier project (another folder than the tree's own), is towncrier's notes exactly.
    const asTowncrier = mxspec(base, args);
    assert.equal(asTowncrier.stdout, theirs);
  } finally { rmSync(base, { recursive: true, force: true }); }
});
