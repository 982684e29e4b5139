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
  --config FILE       preset and rule severities (default: DIR/${CONFIG_NAME} if present)
  --rule ID           run only this rule, whatever its preset (repeatable)
  --max-warnings N    also fail when there are more than N warnings
  --list-rules        print every rule with its preset, default severity and why it
                      exists, then exit
  -h, --help          show this help

Configuration (${CONFIG_NAME}):
  extends: strict             # recommended (default): only rules that find defects;
                              # strict: also this project's house style
  matrixVersion: "1.2"        # newest version x-addedInMatrixVersion may name
  rules:
    operation-docs: warn      # error | warn | info | off; spectral:<code> too
                              # naming a strict rule here runs it under recommended

Without a configuration file, only the recommended rules run. --list-rules shows
each rule's preset and default severity.

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
      process.stdout.write(listRules());
      return 0;
    }
    const format = checkFormat(values.format as string | undefined);
    const root = resolve((values.root as string | undefined) ?? PACKAGE_ROOT);
    if (!existsSync(join(root, 'data')) && !existsSync(join(root, 'changelogs'))) {
      throw new UsageError(`${root} has neither data/ nor changelogs/ (use --root to point at a spec tree)`);
    }
    const ids = new Set(RULES.map((r) => r.id));
    const only = values.rule as string[] | undefined;
    for (const id of only ?? []) {
      if (!ids.has(id)) throw new UsageError(`unknown rule "${id}" (see mxspec lint --list-rules)`);
    }
    const maxWarnings = values['max-warnings'] === undefined ? undefined : Number(values['max-warnings']);
    if (maxWarnings !== undefined && !Number.isInteger(maxWarnings)) {
      throw new UsageError('--max-warnings takes a whole number');
    }
    const config = loadConfig(root, values.config as string | undefined, ids);

    const spec = loadSpec(root);
    const diagnostics = await lintSpec(spec, { config, only });

    process.stdout.write(formatDiagnostics(diagnostics, format, spec, VERSION, process.stdout, RULES));
    const errors = diagnostics.some((d) => d.severity === 'error');
    const warnings = diagnostics.filter((d) => d.severity === 'warn').length;
    return errors || (maxWarnings !== undefined && warnings > maxWarnings) ? 1 : 0;
  },
};

/** One line per rule: id, preset, default severity, why. */
function listRules(): string {
  const line = (r: (typeof RULES)[number]) => [
    r.id.padEnd(28), (r.preset ?? 'recommended').padEnd(11), r.defaultSeverity.padEnd(5), r.why,
  ].join(' ');
  return RULES.map((r) => `${line(r)}\n`).join('');
}
