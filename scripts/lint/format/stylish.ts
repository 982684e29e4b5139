import { formatPlace, type Diagnostic } from '../../core/diagnostic.js';
import { lineText, type SourceFile } from '../../core/source.js';

export interface StylishOptions {
  color: boolean;
  /** Source text by relative path, for showing the offending lines. */
  files: Map<string, SourceFile>;
}

/** The widest code frame shown: a minified or generated file may have a line of megabytes. */
const FRAME_WIDTH = 160;

interface FrameWindow { start: number; end: number; caret: number }

/** Which part of a line to show so that the column is inside it, and where the caret goes. */
function frameWindow(column: number): FrameWindow {
  const at = Math.max(0, column - 1);
  const start = at < FRAME_WIDTH ? 0 : at - FRAME_WIDTH / 2;
  return { start, end: start + FRAME_WIDTH, caret: at - start + (start > 0 ? 1 : 0) };
}

function cut(text: string, w: FrameWindow): string {
  return (w.start > 0 ? '…' : '') + text.slice(w.start, w.end) + (text.length > w.end ? '…' : '');
}

const paint = (on: boolean, code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** Human output: findings grouped by file, each with its source line and a caret under the column. */
export function formatStylish(diagnostics: readonly Diagnostic[], options: StylishOptions): string {
  const red = paint(options.color, '31');
  const yellow = paint(options.color, '33');
  const blue = paint(options.color, '34');
  const dim = paint(options.color, '2');
  const bold = paint(options.color, '1');
  const lines: string[] = [];
  let current: string | undefined;
  for (const d of diagnostics) {
    if (d.file !== current) {
      if (current !== undefined) lines.push('');
      current = d.file;
      lines.push(bold(d.file));
    }
    const sev = d.severity === 'error' ? red('error') : d.severity === 'warn' ? yellow('warn ') : blue('info ');
    lines.push(`  ${formatPlace(d)}  ${sev}  ${d.message}  ${dim(d.rule)}`);
    const file = options.files.get(d.file);
    if (file) {
      const width = String(d.line + 1).length;
      const window = frameWindow(d.column);
      for (let n = Math.max(1, d.line - 1); n <= d.line; n++) {
        const text = lineText(file, n);
        if (n < d.line && text.trim() === '') continue;
        lines.push(dim(`    ${n === d.line ? '>' : ' '} ${String(n).padStart(width)} | `) + cut(text, window));
      }
      lines.push(dim(`      ${' '.repeat(width)} | `) + ' '.repeat(window.caret) + red('^'));
    }
    if (d.hint) lines.push(`    ${dim('hint:')} ${d.hint}`);
    for (const r of d.related ?? []) lines.push(`    ${dim(`${r.label}:`)} ${formatPlace(r)}`);
    for (const v of d.via ?? []) lines.push(`    ${dim('referenced from:')} ${formatPlace(v)}`);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warn').length;
  const infos = diagnostics.length - errors - warnings;
  if (diagnostics.length) lines.push('');
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const summary = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${infos ? `, ${infos} info` : ''}`;
  lines.push(errors ? red(bold(`✖ ${summary}`)) : diagnostics.length ? yellow(`⚠ ${summary}`) : '✔ no problems');
  return lines.join('\n') + '\n';
}
