import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from '../core/command.js';
import { PACKAGE_ROOT, VERSION } from '../core/package.js';
import { compareDiagnostics } from '../core/diagnostic.js';
import { UsageError } from '../core/errors.js';
import { checkOutputDir } from '../core/output.js';
import { loadConfig } from '../lint/config.js';
import { blockingFindings } from '../lint/blocking.js';
import { formatDiagnostics } from '../lint/report.js';
import { loadSpec } from '../loader/load.js';
import type { Spec } from '../loader/model.js';
import type { SiteBuild } from './build.js';
import { searchIndex } from './search-index.js';
import { writeSiteAtomically } from './write.js';

/** Loads the tree and builds the site in memory; the diagnostics say whether it may be written. */
export async function buildFromRoot(root: string, dev = false, given?: Spec): Promise<{ spec: Spec; build: SiteBuild }> {
  // Imported here, not on top: `--help` and a refused --out answer without loading the renderer.
  const { buildSite } = await import('./build.js');
  const spec = given ?? loadSpec(root);
  const config = loadConfig(root, undefined);
  const build = buildSite(spec, { root, packageRoot: PACKAGE_ROOT, dev, specVersion: config.matrixVersion });
  build.diagnostics.unshift(...await blockingFindings(spec, config));
  build.diagnostics.sort(compareDiagnostics);
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

A tree in the upstream Matrix spec's layout (Hugo's content/ instead of site/) is built as it is:
every content/**/*.md page at the URL Hugo gives it, titled and ordered by its front matter
(drafts and headless pages skipped; client-server modules and room version fragments are parts
of the pages that pull them in), with Hugo's heading ids and the published anchors of endpoints
and events. Its shortcodes ({{% %}} and {{< >}}) render through the same handlers as our
directives: http-api, event, event-group, event-fields, definition, msgtypes, added-in,
changed-in, boxes/note, boxes/warning, boxes/rationale, cs-module, rver-fragment, sas-emojis
(data-definitions/sas-emoji.json), diagram (assets/diagrams/) and proposal-tables (a note: the
list needs GitHub). An unknown shortcode is an error at its line; static/ is copied as it is.
Broken links in such a tree are warnings, each at the file and line that wrote it: they are
the tree's own defects, and the site is still written.

The site is written to a temporary folder and swapped in whole: a failed build (a directive
naming nothing, a broken internal link, an unparsable file) leaves the previous site untouched.
Nothing outside the spec tree is read: includes, pages, templates and assets must be files
inside it, and links leaving it are errors.

--out is replaced whole, so it must be a folder that is absent, empty, or an earlier output of
mxspec site (it holds a .mxspec-output mark). Refused, with exit status 2 and nothing written:
the spec tree itself or a folder holding it, a folder inside the tree other than under dist/,
a file, a symbolic link, and a folder holding files mxspec did not write.

Options:
  --root DIR   the spec tree (default: this repository)
  --out DIR    where the site goes (default: DIR/dist/site)
  -h, --help   show this help
`,
  options: { out: { type: 'string' } },
  async run(values) {
    const root = resolve((values.root as string | undefined) ?? PACKAGE_ROOT);
    if (!existsSync(join(root, 'data'))) throw new UsageError(`${root} has no data/ folder (use --root to point at a spec tree)`);
    const given = (values.out as string | undefined) ?? join(root, 'dist', 'site');
    const out = resolve(given);
    checkOutputDir(given, root, 'site');
    const { spec, build } = await buildFromRoot(root);
    const failed = build.diagnostics.some((d) => d.severity === 'error');
    if (build.diagnostics.length) {
      process.stderr.write(formatDiagnostics(build.diagnostics, 'stylish', spec, VERSION, process.stderr));
    }
    if (failed) {
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
