import type { Diagnostic } from '../core/diagnostic.js';
import { UsageError } from '../core/errors.js';
import type { Spec } from '../loader/model.js';
import { formatGithub } from './format/github.js';
import { formatJson } from './format/json.js';
import { formatSarif } from './format/sarif.js';
import { formatStylish } from './format/stylish.js';
import { RULES } from './rules/index.js';

export const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;

export function checkFormat(format: string | undefined): string {
  const f = format ?? 'stylish';
  if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format "${f}" (formats: ${FORMATS.join(', ')})`);
  return f;
}

/** Renders findings in the chosen format, for standard output. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: string, spec: Spec, version: string, stream: NodeJS.WriteStream = process.stdout): string {
  if (format === 'json') return formatJson(diagnostics);
  if (format === 'sarif') return formatSarif(diagnostics, RULES, version);
  if (format === 'github') return formatGithub(diagnostics);
  const color = stream.isTTY === true && !process.env.NO_COLOR;
  return formatStylish(diagnostics, { color, files: new Map(spec.files.map((f) => [f.rel, f])) });
}
