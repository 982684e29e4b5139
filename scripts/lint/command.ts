import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from '../core/command.js';
import { PACKAGE_ROOT, VERSION } from '../core/package.js';
import { UsageError } from '../core/errors.js';
import { loadSpec } from '../loader/load.js';
import { CONFIG_NAME, loadConfig } from './config.js';
import { lintSpec } from './engine.js';
import { checkFormat, formatDiagnostics } from './report.js';
import { RULES } from './rules/index.js';

export const lintCommand: Command = {
  name: 'lint',
  help: `Usage: mxspec lint [options]

Checks every file under DIR/data, and the changelog fragments under DIR/changelogs,
and reports each problem once, at file:line:col.

Options:
  --root DIR          the folder holding data/ (default: this repository)
  --format NAME       stylish (default, for people), json, sarif, github (workflow annotations)
  --config FILE       rule severities (default: DIR/${CONFIG_NAME} if present)
  --rule ID           run only this rule (repeatable)
  --max-warnings N    also fail when there are more than N warnings
  --list-rules        print every rule id with why it exists, then exit
  -h, --help          show this help

Configuration (${CONFIG_NAME}):
  matrixVersion: "1.2"        # newest version x-addedInMatrixVersion may name
  rules:
    operation-docs: warn      # error | warn | info | off; spectral:<code> too

A .spectral.yaml in DIR adds its rules to the same report.
Exit status: 0 no errors, 1 errors found (or too many warnings), 2 bad usage or configuration.
`,
  options: {
    format: { type: 'string' },
    config: { type: 'string' },
    rule: { type: 'string', multiple: true },
    'max-warnings': { type: 'string' },
    'list-rules': { type: 'boolean' },
  },
  async run(values) {
    if (values['list-rules']) {
      for (const r of RULES) process.stdout.write(`${r.id.padEnd(28)} ${r.why}\n`);
      return 0;
    }
    const format = checkFormat(values.format as string | undefined);
    const root = resolve((values.root as string | undefined) ?? PACKAGE_ROOT);
    if (!existsSync(join(root, 'data')) && !existsSync(join(root, 'changelogs'))) throw new UsageError(`${root} has neither data/ nor changelogs/ (use --root to point at a spec tree)`);
    const ids = new Set(RULES.map((r) => r.id));
    const only = values.rule as string[] | undefined;
    for (const id of only ?? []) if (!ids.has(id)) throw new UsageError(`unknown rule "${id}" (see mxspec lint --list-rules)`);
    const maxWarnings = values['max-warnings'] === undefined ? undefined : Number(values['max-warnings']);
    if (maxWarnings !== undefined && !Number.isInteger(maxWarnings)) throw new UsageError('--max-warnings takes a whole number');
    const config = loadConfig(root, values.config as string | undefined, ids);

    const spec = loadSpec(root);
    const diagnostics = await lintSpec(spec, { config, only });

    process.stdout.write(formatDiagnostics(diagnostics, format, spec, VERSION));
    const errors = diagnostics.some((d) => d.severity === 'error');
    const warnings = diagnostics.filter((d) => d.severity === 'warn').length;
    return errors || (maxWarnings !== undefined && warnings > maxWarnings) ? 1 : 0;
  },
};
