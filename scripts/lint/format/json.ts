import type { Diagnostic } from '../../core/diagnostic.js';

/** `--format json`: an array of {file, line, column, severity, rule, message}, plus hint and via where known. */
export function formatJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify(diagnostics.map(({ file, line, column, severity, rule, message, hint, via, related }) => ({
    file, line, column, severity, rule, message,
    ...(hint ? { hint } : {}), ...(via ? { via } : {}), ...(related ? { related } : {}),
  })), null, 2) + '\n';
}
