/** Severity of a finding; `off` only appears in configuration. */
export type Severity = 'error' | 'warn' | 'info';
export type SeveritySetting = Severity | 'off';

/** A place in a source file, 1-based like every editor shows it. */
export interface Place {
  /** Path relative to the spec root, with forward slashes. */
  file: string;
  line: number;
  column: number;
}

/** One finding, as every output format receives it. */
export interface Diagnostic extends Place {
  severity: Severity;
  rule: string;
  message: string;
  /** How to fix it, when the rule knows. */
  hint?: string;
  /** For findings inside a referenced file: where that file is referenced from. */
  via?: Place[];
  /** Other places the message refers to (the schema an example failed against, the first definition of a duplicate...). */
  related?: (Place & { label: string })[];
}

export function formatPlace(p: Place): string {
  return `${p.file}:${p.line}:${p.column}`;
}

const rank: Record<Severity, number> = { error: 0, warn: 1, info: 2 };

/** Stable order: by file, then line, column, severity, rule and message. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || rank[a.severity] - rank[b.severity]
    || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)
    || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0);
}
