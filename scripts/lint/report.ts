import type { Diagnostic } from '../core/diagnostic.js';
import { UsageError } from '../core/errors.js';
import type { Spec } from '../loader/model.js';
import { formatGithub } from './format/github.js';
import { formatJson } from './format/json.js';
import { formatSarif } from './format/sarif.js';
import { formatStylish } from './format/stylish.js';
import type { Rule } from './rule.js';

export const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;

export function checkFormat(format: string | undefined): string {
  const f = format ?? 'stylish';
  if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format "${f}" (formats: ${FORMATS.join(', ')})`);
  return f;
}

/** Renders findings in the chosen format, for standard output. */
/** `rules` describe the findings in SARIF; only `lint`, which loads every rule, asks for that format. */
export function formatDiagnostics(
  diagnostics: readonly Diagnostic[], format: string, spec: Spec, version: string,
  stream: NodeJS.WriteStream = process.stdout, rules: readonly Rule[] = [],
): string {
  if (format === 'json') return formatJson(diagnostics);
  if (format === 'sarif') return formatSarif(diagnostics, rules, version);
  if (format === 'github') return formatGithub(diagnostics);
  const color = stream.isTTY === true && !process.env.NO_COLOR;
  return formatStylish(diagnostics, { color, files: new Map(spec.files.map((f) => [f.rel, f])) });
}
