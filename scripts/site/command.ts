import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from '../core/command.js';
import { PACKAGE_ROOT, VERSION } from '../core/package.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { UsageError } from '../core/errors.js';
import { placeAt } from '../core/source.js';
import { loadConfig } from '../lint/config.js';
import { formatDiagnostics } from '../lint/report.js';
import { RULES } from '../lint/rules/index.js';
import { loadSpec } from '../loader/load.js';
import type { Spec } from '../loader/model.js';
import { buildSite, searchIndex, type SiteBuild } from './build.js';
import { writeSiteAtomically } from './write.js';

/** Problems that make a site wrong rather than merely imperfect: unparsable files and broken $refs. */
export function blockingProblems(spec: Spec): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of spec.problems) {
    if (p.kind === 'duplicate-key') continue;
    out.push({ ...placeAt(p.file, p.offset), severity: 'error', rule: 'yaml-syntax', message: p.message });
  }
  return out;
}

/** Loads the tree and builds the site in memory; the diagnostics say whether it may be written. */
export function buildFromRoot(root: string, dev = false, spec = loadSpec(root)): { spec: Spec; build: SiteBuild } {
  const config = loadConfig(root, undefined, new Set(RULES.map((r) => r.id)));
  const build = buildSite(spec, { root, packageRoot: PACKAGE_ROOT, dev, specVersion: config.matrixVersion });
  build.diagnostics.unshift(...blockingProblems(spec));
  return { spec, build };
}

export const siteCommand: Command = {
  name: 'site',
  help: `Usage: mxspec site [--root DIR] [--out DIR]

Renders site/ (Markdown pages with ::operation{id=...}, ::event{type=...} and ::string-formats
directives), data/ and templates/site/ into a static site: one page per API with every endpoint,
event blocks, the changelog (released notes and the unreleased draft), <api>/openapi.json (the
merged document, full paths), a search index, and local assets only. Without site/ (another
tree), every API gets a reference page and every event a block on /events/.

The site is written to a temporary folder and swapped in whole: a failed build (a directive
naming nothing, a broken internal link, an unparsable file) leaves the previous site untouched.

Options:
  --root DIR   the spec tree (default: this repository)
  --out DIR    where the site goes (default: DIR/dist/site)
  -h, --help   show this help
`,
  options: { out: { type: 'string' } },
  async run(values) {
    const root = resolve((values.root as string | undefined) ?? PACKAGE_ROOT);
    if (!existsSync(join(root, 'data'))) throw new UsageError(`${root} has no data/ folder (use --root to point at a spec tree)`);
    const out = resolve((values.out as string | undefined) ?? join(root, 'dist', 'site'));
    const { spec, build } = buildFromRoot(root);
    if (build.diagnostics.some((d) => d.severity === 'error')) {
      process.stderr.write(formatDiagnostics(build.diagnostics, 'stylish', spec, VERSION, process.stderr));
      process.stderr.write(`the site was not written; ${relative(process.cwd(), out) || out} is unchanged\n`);
      return 1;
    }
    build.files.set('search-index.json', searchIndex(build.searchDocs()));
    writeSiteAtomically(out, build.files);
    const pages = [...build.files.keys()].filter((f) => f.endsWith('.html')).length;
    process.stdout.write(`wrote ${relative(process.cwd(), out) || '.'}: ${pages} pages, ${build.files.size} files\n`);
    return 0;
  },
};
