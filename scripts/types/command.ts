import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from '../core/command.js';
import { PACKAGE_ROOT, VERSION } from '../core/package.js';
import { blockingErrors } from '../lint/blocking.js';
import { formatDiagnostics } from '../lint/report.js';
import { UsageError } from '../core/errors.js';
import { checkOutputDir } from '../core/output.js';
import { loadConfig } from '../lint/config.js';
import { loadSpec } from '../loader/load.js';
import { packageVersion, writeTypesPackage } from './package.js';

export const typesCommand: Command = {
  name: 'types',
  help: `Usage: mxspec types [--root DIR] [--out DIR] [--name NAME]

Writes an npm package of TypeScript types generated from the spec: one module per API (paths
keyed by their full path, operations by operationId, a named type per titled schema), the
events (a type per event and its content, EventContentMap, the MatrixEvent union), identifier
types from data/string-formats.yaml, and createMatrixClient, a typed client over openapi-fetch.
A file that does not parse or a $ref that leads nowhere stops it, with nothing written, since the
types would silently lose what they describe. The folder is replaced only once the new package is
complete. It must be absent, empty, or an
earlier output of mxspec types (marked by a .mxspec-output file); it may not be the spec tree, hold
it, or lie inside it other than under dist/. Anything else is refused before any work is done.

Options:
  --root DIR     the spec tree (default: this repository)
  --out DIR      where the package goes (default: DIR/dist/types)
  --name NAME    the package name (default: matrix-spec-types)
  -h, --help     show this help

The package version is the spec's matrixVersion (.mxspec.yaml) as semver, e.g. 1.2.0; without
one, the newest x-addedInMatrixVersion in the data.
`,
  options: { out: { type: 'string' }, name: { type: 'string' } },
  async run(values) {
    const root = resolve((values.root as string | undefined) ?? PACKAGE_ROOT);
    if (!existsSync(join(root, 'data'))) throw new UsageError(`${root} has no data/ folder (use --root to point at a spec tree)`);
    const out = resolve((values.out as string | undefined) ?? join(root, 'dist', 'types'));
    checkOutputDir(out, root, 'types');
    const config = loadConfig(root, undefined);
    const spec = loadSpec(root);
    const blocking = await blockingErrors(spec, config);
    if (blocking.length) {
      process.stderr.write(formatDiagnostics(blocking, 'stylish', spec, VERSION, process.stderr));
      process.stderr.write(`the package was not written; ${relative(process.cwd(), out) || out} is unchanged\n`);
      return 1;
    }
    const version = packageVersion(config.matrixVersion, spec);
    const files = await writeTypesPackage(spec, out, { name: (values.name as string | undefined) ?? 'matrix-spec-types', version });
    process.stdout.write(`wrote ${relative(process.cwd(), out) || '.'}: ${files.length} files, version ${version}\n`);
    return 0;
  },
};
