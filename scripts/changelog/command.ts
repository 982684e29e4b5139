import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from '../core/command.js';
import { ownOrPackage, PACKAGE_ROOT, VERSION } from '../core/package.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { CommandFailure, UsageError } from '../core/errors.js';
import { loadSpec } from '../loader/load.js';
import type { Spec } from '../loader/model.js';
import { loadConfig } from '../lint/config.js';
import { lintSpec } from '../lint/engine.js';
import { checkFormat, formatDiagnostics } from '../lint/report.js';
import { RULES } from '../lint/rules/index.js';
import { collectNotes, renderNotes } from './render.js';

/** The lint rules that make up `changelog check`. */
export const CHANGELOG_RULES = ['changelog-fragment', 'changelog-endpoint', 'changelog-near-duplicate'];

const HELP = `Usage: mxspec changelog <build|check> [options]

Release notes from towncrier-style fragments: changelogs/<section>/newsfragments/<number>.<type>
(also <number>.<type>.<n>, and +<name>.<type> for an entry with no number). Sections and types,
in order, come from changelogs/pyproject.toml or changelogs/towncrier.toml ([tool.towncrier]).

mxspec changelog build --version VERSION [--date YYYY-MM-DD] [--draft] [--keep] [--force]
  Renders the notes (templates/changelog/release.md.hbs) and writes them to the release notes
  file the configuration names (filename, "{version}" replaced; default releases/{version}.md),
  then deletes the fragments it used. Nothing is deleted unless the notes were written whole.
  --draft        print the notes and change nothing (--version defaults to "Unreleased")
  --out FILE     with --draft: write the notes to FILE instead of printing them
  --keep         keep the fragments after a release
  --force        overwrite notes that already exist for this version
  --date DATE    the release date (default: today, UTC)

mxspec changelog check [--against GIT-REF] [--format stylish|json|sarif|github]
  Checks every fragment: known section and type (a misspelt type names the closest one), a number
  or orphan name, one paragraph of Markdown ending with a full stop, endpoints named by "new" and
  "removal" fragments, near-duplicates that were probably meant to merge. With --against, at
  least one fragment must have been added since GIT-REF. mxspec lint runs the same checks.

Common options:
  --root DIR     the spec tree (default: this repository): data/ for endpoint checks
  --dir DIR      the changelogs folder (default: DIR/changelogs); any towncrier project's works
  -h, --help     show this help
Exit status: 0 fine, 1 bad fragments or a failed write, 2 bad usage or configuration.
`;

function setup(values: Record<string, unknown>): { root: string; spec: Spec } {
  const root = resolve((values.root as string | undefined) ?? PACKAGE_ROOT);
  const dir = resolve((values.dir as string | undefined) ?? join(root, 'changelogs'));
  if (!existsSync(dir)) throw new UsageError(`${dir} does not exist (use --dir to point at a changelogs folder)`);
  const spec = loadSpec(root, { changelogDir: dir });
  if (spec.changelogProblem) throw new UsageError(spec.changelogProblem.message);
  return { root, spec };
}

async function checkFragments(root: string, spec: Spec): Promise<Diagnostic[]> {
  const config = loadConfig(root, undefined, new Set(RULES.map((r) => r.id)));
  return lintSpec(spec, { config, only: CHANGELOG_RULES });
}

/** Fragments added since a git ref, committed or not: what a pull request contributes. */
function addedSince(dir: string, ref: string): string[] {
  const git = (args: string[]) => {
    const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new UsageError(`git ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim().split('\n')[0]}`);
    return r.stdout.split('\n').filter(Boolean);
  };
  return [
    ...git(['diff', '--name-only', '--relative', '--diff-filter=A', ref, '--', '.']),
    ...git(['ls-files', '--others', '--exclude-standard', '--', '.']),
  ].filter((p) => /(^|\/)newsfragments\/[^/]+$/.test(p));
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Writes a file whole or not at all: a temporary sibling, then a rename. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    try { rmSync(tmp, { force: true }); } catch { /* the folder itself is missing: nothing to clean */ }
    throw new CommandFailure(`cannot write ${path}: ${(err as Error).message}`);
  }
}

export const changelogCommand: Command = {
  name: 'changelog',
  help: HELP,
  options: {
    version: { type: 'string' },
    date: { type: 'string' },
    draft: { type: 'boolean' },
    out: { type: 'string' },
    keep: { type: 'boolean' },
    force: { type: 'boolean' },
    dir: { type: 'string' },
    against: { type: 'string' },
    format: { type: 'string' },
  },
  async run(values, positionals) {
    const [action, ...extra] = positionals;
    if (action !== 'build' && action !== 'check') throw new UsageError(`changelog needs "build" or "check" (see mxspec changelog --help)`);
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const { root, spec } = setup(values);
    const changelog = spec.changelog!;

    if (action === 'check') {
      const format = checkFormat(values.format as string | undefined);
      const diagnostics = await checkFragments(root, spec);
      const against = values.against as string | undefined;
      if (against !== undefined && addedSince(changelog.config.dir, against).length === 0) {
        diagnostics.push({
          file: relative(root, changelog.config.dir).split(sep).join('/') || '.', line: 1, column: 1, severity: 'error', rule: 'changelog-added',
          message: `No changelog fragment was added since ${against}.`, hint: 'Add changelogs/<section>/newsfragments/<number>.<type> describing the change.',
        });
      }
      process.stdout.write(formatDiagnostics(diagnostics, format, spec, VERSION));
      return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
    }

    const draft = values.draft === true;
    const version = (values.version as string | undefined) ?? (draft ? 'Unreleased' : undefined);
    if (!version) throw new UsageError('changelog build needs --version VERSION (or --draft)');
    if (/[\\/]|\.\./.test(version)) throw new UsageError(`--version "${version}" cannot be part of a file name`);
    let date = values.date as string | undefined;
    if (date !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date)) {
      throw new UsageError(`--date "${date}" is not a date like 2021-11-09`);
    }
    if (!draft) date ??= today();
    if (values.out !== undefined && !draft) throw new UsageError('--out only goes with --draft; releases go where the configuration says');

    // Bad fragments stop the build before anything is written: nothing is silently dropped.
    const problems = await checkFragments(root, spec);
    if (problems.length) process.stderr.write(formatDiagnostics(problems, 'stylish', spec, VERSION, process.stderr));
    if (problems.some((d) => d.severity === 'error')) return 1;

    const templates = join(ownOrPackage(root, 'templates', 'changelog'), '..');
    const markdown = renderNotes(collectNotes(changelog, version, date), templates);
    if (draft) {
      if (values.out !== undefined) writeAtomically(resolve(values.out as string), markdown);
      else process.stdout.write(markdown);
      return 0;
    }
    const target = resolve(changelog.config.dir, changelog.config.filename.replaceAll('{version}', version));
    if (existsSync(target) && values.force !== true) throw new UsageError(`${target} already exists; pass --force to replace it`);
    writeAtomically(target, markdown);
    process.stdout.write(`wrote ${relative(process.cwd(), target) || target}\n`);
    if (values.keep !== true) {
      const used = changelog.fragments.filter((f) => f.section && f.type);
      for (const f of used) rmSync(f.source.abs);
      process.stdout.write(`removed ${used.length} fragment${used.length === 1 ? '' : 's'}\n`);
    }
    return 0;
  },
};
