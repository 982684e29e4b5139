import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from '../core/command.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { UsageError } from '../core/errors.js';
import { PACKAGE_ROOT, VERSION } from '../core/package.js';
import type { SourceFile } from '../core/source.js';
import { checkTreeFile, isWithin, relToRoot } from '../core/tree.js';
import { loadConfig, ruleSetting, type LintConfig } from '../lint/config.js';
import { lintSpec } from '../lint/engine.js';
import { checkFormat, formatDiagnostics } from '../lint/report.js';
import { changelogEndpoint } from '../lint/rules/changelog-endpoint.js';
import { changelogFragment } from '../lint/rules/changelog-fragment.js';
import { changelogNearDuplicate } from '../lint/rules/changelog-near-duplicate.js';
import { changelogStyle } from '../lint/rules/changelog-style.js';
import { RULES } from '../lint/rules/index.js';
import { loadChangelog, type Changelog } from '../loader/fragments.js';
import { loadSpec } from '../loader/load.js';
import type { Spec } from '../loader/model.js';
import { findConfigFile, treeRootOf, versionProblem, type ChangelogConfig } from '../loader/towncrier.js';
import { checkNewsFile, insertNotes, readNewsFile, writeAtomically } from './newsfile.js';
import { FormatError, pyFormat } from './python.js';
import { collectNotes, renderNotes } from './render.js';
import { RenderError, renderTowncrier, usableFragments } from './towncrier.js';

/** The lint rules that make up `changelog check`. */
export const CHANGELOG_RULES = [
  'changelog-fragment', 'changelog-style', 'changelog-endpoint', 'changelog-near-duplicate',
];
/** The house policy among them: on a tree with no lint configuration, shown as warnings. */
export const HOUSE_RULES = ['changelog-style', 'changelog-endpoint', 'changelog-near-duplicate'];
const RULE_OBJECTS = [changelogFragment, changelogStyle, changelogEndpoint, changelogNearDuplicate];

const HELP = `Usage: mxspec changelog <build|check> [options]

Release notes from towncrier fragments: <section>/newsfragments/<number>.<type> (also
<number>.<type>.<n>, and +<name>.<type> for an entry with no number). The configuration is
towncrier's ([tool.towncrier] in towncrier.toml or pyproject.toml) and means what it means to
towncrier 22.12: sections, types, directory, filename, single_file, start_string, title_format,
underlines, issue_format, template (Jinja), wrap, all_bullets, orphan_prefix.

mxspec changelog build [--version VERSION] [--date YYYY-MM-DD] [--name NAME] [--draft] [--keep] [--force]
  Renders the notes and writes them where the configuration says: into filename after
  start_string (single_file, towncrier's default), or to a file per release (single_file = false,
  "{version}" in filename). Then deletes the fragments it used; nothing is deleted unless the notes
  were written whole. A tree's own changelogs/ folder, in a tree with templates/changelog/
  release.md.hbs, gets this project's Markdown notes; any other project gets towncrier's notes:
  its template, or towncrier's default.
  --version V    the release (default: the configuration's "version"; for --draft, "Unreleased")
  --date DATE    the release date (default: today, UTC)
  --name NAME    the project name in the title (default: the configuration's "name")
  --draft        print the notes and change nothing
  --out FILE     with --draft: write the notes to FILE instead of printing them
  --keep         keep the fragments after a release
  --force        replace notes that already exist for this version

mxspec changelog check [--against GIT-REF] [--format stylish|json|sarif|github]
  Checks every fragment. Defects towncrier would drop or stop on (unknown type or section, a
  name with no type, a file it cannot read, empty or not UTF-8, one ticket twice) are errors
  (changelog-fragment). House style (changelog-style, changelog-endpoint, changelog-near-duplicate)
  is enforced where the tree's .mxspec.yaml asks for it; a tree with no .mxspec.yaml gets it as
  warnings. With --against, at least one fragment must have been added since GIT-REF.
  mxspec lint runs the same checks. build runs them first and stops on errors.

Common options:
  --root DIR     the spec tree (default: this repository): data/ for endpoint checks
  --dir DIR      the project folder (default: DIR/changelogs; with --config, the config's folder)
  --config FILE  the towncrier configuration (default: towncrier.toml or pyproject.toml in --dir)
  -h, --help     show this help
Run per section folder as towncrier is run:
  mxspec changelog build --dir changelogs/client_server --config changelogs/pyproject.toml --name "Client-Server API"
Exit status: 0 fine, 1 bad fragments or a failed write, 2 bad usage or configuration.
`;

interface Setup {
  /** The spec root the user named (or this repository). */
  root: string;
  /** The tree the changelog belongs to: every read is judged against it, and its .mxspec.yaml applies. */
  treeRoot: string;
  spec: Spec;
  changelog: Changelog;
}

const byRel = (a: SourceFile, b: SourceFile) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0);

/** The spec with the changelog as this command reads it (its --config), in place of the default one. */
function withChangelog(spec: Spec, changelog: Changelog): Spec {
  const previous = new Set(spec.changelog?.fragments.map((f) => f.source) ?? []);
  const files = [...spec.files.filter((f) => !previous.has(f)), ...changelog.fragments.map((f) => f.source)];
  return { ...spec, changelog, changelogProblem: undefined, files: files.sort(byRel) };
}

function setup(values: Record<string, unknown>): Setup {
  const root = resolve((values.root as string | undefined) ?? PACKAGE_ROOT);
  const configFile = values.config === undefined ? undefined : resolve(values.config as string);
  if (configFile !== undefined && !existsSync(configFile)) {
    throw new UsageError(`--config ${values.config as string} does not exist`);
  }
  const defaultDir = configFile ? dirname(configFile) : join(root, 'changelogs');
  const dir = resolve((values.dir as string | undefined) ?? defaultDir);
  if (!existsSync(dir)) throw new UsageError(`${dir} does not exist (use --dir to point at a changelogs folder)`);
  const location = { root, dir, configFile };
  const treeRoot = treeRootOf(root, dir, configFile ?? findConfigFile(location));
  const load = loadChangelog({ ...location, root: treeRoot });
  if (load.problem) throw new UsageError(load.problem.message);
  const spec = withChangelog(loadSpec(treeRoot, { changelogDir: dir }), load.changelog!);
  return { root, treeRoot, spec, changelog: load.changelog! };
}

/**
 * The changelog rules at the severities `mxspec lint` gives them on this tree, each set explicitly
 * (the rules are named to the engine, which would otherwise run them whatever the preset); on a
 * tree with no lint configuration, the house rules still run, as warnings that do not block.
 */
function lintConfig(treeRoot: string): LintConfig {
  const config = loadConfig(treeRoot, undefined, new Set([...RULES.map((r) => r.id), ...CHANGELOG_RULES]));
  const rules = Object.assign(Object.create(null) as LintConfig['rules'], config.rules);
  for (const rule of RULE_OBJECTS) {
    const setting = ruleSetting(config, rule);
    rules[rule.id] = setting === 'off' && config.path === undefined && HOUSE_RULES.includes(rule.id) ? 'warn' : setting;
  }
  return { ...config, rules };
}

async function checkFragments(s: Setup): Promise<Diagnostic[]> {
  return lintSpec(s.spec, { config: lintConfig(s.treeRoot), only: CHANGELOG_RULES, rules: RULE_OBJECTS });
}

/** Fragments added since a git ref, committed or not: what a pull request contributes. */
function addedSince(dir: string, ref: string): string[] {
  const git = (args: string[]) => {
    const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
    const why = (r.stderr || r.error?.message || '').trim().split('\n')[0];
    if (r.status !== 0) throw new UsageError(`git ${args.join(' ')} failed: ${why}`);
    return r.stdout.split('\n').filter(Boolean);
  };
  return [
    ...git(['diff', '--name-only', '--relative', '--diff-filter=A', ref, '--', '.']),
    ...git(['ls-files', '--others', '--exclude-standard', '--', '.']),
  ].filter((p) => /(^|\/)newsfragments\/[^/]+$/.test(p));
}

async function runCheck(s: Setup, values: Record<string, unknown>): Promise<number> {
  const format = checkFormat(values.format as string | undefined);
  const diagnostics = await checkFragments(s);
  const against = values.against as string | undefined;
  const dir = s.changelog.config.dir;
  if (against !== undefined && addedSince(dir, against).length === 0) {
    diagnostics.push({
      file: relToRoot(s.treeRoot, dir), line: 1, column: 1, severity: 'error', rule: 'changelog-added',
      message: `No changelog fragment was added since ${against}.`,
      hint: 'Add changelogs/<section>/newsfragments/<number>.<type> describing the change.',
    });
  }
  process.stdout.write(formatDiagnostics(diagnostics, format, s.spec, VERSION, process.stdout, RULES));
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

interface Release { draft: boolean; version: string; date?: string; name: string }

/** YYYY-MM-DD, and a day that exists. */
function isDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

function releaseOf(values: Record<string, unknown>, config: ChangelogConfig): Release {
  const draft = values.draft === true;
  const version = (values.version as string | undefined) ?? config.version ?? (draft ? 'Unreleased' : undefined);
  if (version === undefined) throw new UsageError('changelog build needs --version VERSION (or --draft)');
  const problem = versionProblem(version);
  if (problem) throw new UsageError(`--version "${version}" ${problem}`);
  const date = values.date as string | undefined;
  if (date !== undefined && !isDate(date)) throw new UsageError(`--date "${date}" is not a date like 2021-11-09`);
  if (values.out !== undefined && !draft) {
    throw new UsageError('--out only goes with --draft; releases go where the configuration says');
  }
  return { draft, version, date, name: (values.name as string | undefined) ?? config.name ?? '' };
}

/**
 * This project's Markdown notes are for a tree's own changelogs/ folder in a tree that has its own
 * templates/changelog/release.md.hbs, when the configuration names no template. Everything else
 * is a towncrier project, and gets what towncrier would write.
 */
function houseNotes(s: Setup): boolean {
  const { config } = s.changelog;
  const ownTemplate = existsSync(join(s.root, 'templates', 'changelog', 'release.md.hbs'));
  return !config.templateNamed && config.dir === join(s.root, 'changelogs') && ownTemplate;
}

function render(s: Setup, r: Release): { content: string; topLine: string } {
  try {
    if (houseNotes(s)) {
      const content = renderNotes(collectNotes(s.changelog, r.version, r.date), join(s.root, 'templates'));
      return { content, topLine: content.slice(0, content.indexOf('\n')) };
    }
    return renderTowncrier(s.changelog, { name: r.name, version: r.version, date: r.date ?? today() });
  } catch (err) {
    if (err instanceof RenderError) throw new UsageError(err.message);
    throw err;
  }
}

/** Where the notes go: `filename`, formatted for a file per release, inside the changelogs folder. */
function newsFileOf(config: ChangelogConfig, r: Release, date: string): string {
  let filename = config.filename;
  if (!config.singleFile) {
    try {
      filename = pyFormat(filename, { name: r.name, version: r.version, project_date: date });
    } catch (err) {
      if (err instanceof FormatError) throw new UsageError(`filename "${config.filename}": ${err.message}`);
      throw err;
    }
  }
  return resolve(config.dir, filename);
}

/** Deletes the fragments the notes used: regular files inside the tree, nothing else. */
function removeFragments(s: Setup): number {
  let removed = 0;
  for (const f of usableFragments(s.changelog)) {
    const abs = f.source.abs;
    if (!isWithin(s.changelog.config.boundary, abs)) continue;
    try {
      checkTreeFile(s.treeRoot, abs);
      if (!lstatSync(abs).isFile() && !lstatSync(abs).isSymbolicLink()) continue;
      rmSync(abs);
      removed++;
    } catch { /* gone or changed since it was read: left alone */ }
  }
  return removed;
}

async function runBuild(s: Setup, values: Record<string, unknown>): Promise<number> {
  const { config } = s.changelog;
  const r = releaseOf(values, config);
  // Bad fragments stop the build before anything is written: nothing is silently dropped.
  const problems = await checkFragments(s);
  if (problems.length) process.stderr.write(formatDiagnostics(problems, 'stylish', s.spec, VERSION, process.stderr));
  if (problems.some((d) => d.severity === 'error')) return 1;
  const { content, topLine } = render(s, r);
  if (r.draft) {
    if (values.out !== undefined) writeAtomically(resolve(values.out as string), content);
    else process.stdout.write(content);
    return 0;
  }
  const date = r.date ?? today();
  const target = newsFileOf(config, r, date);
  const file = { target, treeRoot: s.treeRoot, boundary: config.boundary };
  checkNewsFile(file, 'filename');
  const force = values.force === true;
  if (!config.singleFile && existsSync(target) && !force) {
    throw new UsageError(`${target} already exists; pass --force to replace it`);
  }
  const existing = config.singleFile ? readNewsFile(file) : undefined;
  writeAtomically(target, insertNotes({ existing, startString: config.startString, topLine, content, force }));
  process.stdout.write(`wrote ${relative(process.cwd(), target) || target}\n`);
  if (values.keep !== true) {
    const removed = removeFragments(s);
    process.stdout.write(`removed ${removed} fragment${removed === 1 ? '' : 's'}\n`);
  }
  return 0;
}

export const changelogCommand: Command = {
  name: 'changelog',
  help: HELP,
  options: {
    version: { type: 'string' },
    date: { type: 'string' },
    name: { type: 'string' },
    draft: { type: 'boolean' },
    out: { type: 'string' },
    keep: { type: 'boolean' },
    force: { type: 'boolean' },
    dir: { type: 'string' },
    config: { type: 'string' },
    against: { type: 'string' },
    format: { type: 'string' },
  },
  async run(values, positionals) {
    const [action, ...extra] = positionals;
    if (action !== 'build' && action !== 'check') {
      throw new UsageError('changelog needs "build" or "check" (see mxspec changelog --help)');
    }
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const s = setup(values);
    return action === 'check' ? runCheck(s, values) : runBuild(s, values);
  },
};
