import type { Diagnostic } from '../../core/diagnostic.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** `--format github`: workflow commands that GitHub Actions shows as annotations on the diff. */
export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => {
    const level = d.severity === 'error' ? 'error' : d.severity === 'warn' ? 'warning' : 'notice';
    const props = `file=${escapeProperty(d.file)},line=${d.line},col=${d.column},title=${escapeProperty(d.rule)}`;
    const body = d.hint ? `${d.message}\n${d.hint}` : d.message;
    return `::${level} ${props}::${escapeData(body)}\n`;
  }).join('');
}
