import { pyStrip } from '../loader/fragments.js';

/**
 * The few Python string operations towncrier's output depends on, with Python's semantics
 * (lengths in code points, Python's line boundaries and whitespace), so that notes built here
 * have the same bytes as towncrier's.
 */

export { pyStrip };

/** len() of a Python str: code points, not UTF-16 units. */
export function pyLen(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** A `{field}` that cannot be filled; the caller names the setting it came from. */
export class FormatError extends Error {}

/**
 * Python's str.format for named fields only (`{version}`, `{{` and `}}` for braces), which is all
 * towncrier's settings use. Anything else (positions, `!r`, `:>10`, unknown names) is refused
 * rather than guessed at; towncrier itself would stop with a KeyError or ValueError there.
 */
export function pyFormat(template: string, values: Readonly<Record<string, string>>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) { out += ch; i += 2; continue; }
    if (ch === '}') throw new FormatError(`a single "}" at character ${i + 1}; write "}}" for a brace`);
    if (ch !== '{') { out += ch; i++; continue; }
    const close = template.indexOf('}', i);
    if (close === -1) throw new FormatError(`"{" at character ${i + 1} is never closed`);
    const field = template.slice(i + 1, close);
    if (!Object.prototype.hasOwnProperty.call(values, field)) {
      const fields = Object.keys(values).map((k) => `{${k}}`).join(', ');
      throw new FormatError(`"{${field}}" is not a field it can fill (fields: ${fields})`);
    }
    out += values[field];
    i = close + 1;
  }
  return out;
}

/** Python's line boundaries for str.splitlines. */
const LINE_BREAKS = new Set(['\n', '\r', '\v', '\f', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029']);

/** str.splitlines(keepends=True). */
export function splitLinesKeepEnds(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (!LINE_BREAKS.has(s[i]!)) continue;
    const end = s[i] === '\r' && s[i + 1] === '\n' ? i + 2 : i + 1;
    out.push(s.slice(start, end));
    start = end;
    i = end - 1;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

/** towncrier's indent(): the prefix before every line that is not blank. */
export function indentLines(text: string, prefix: string): string {
  return splitLinesKeepEnds(text).map((line) => (pyStrip(line) ? prefix + line : line)).join('');
}

/** str.expandtabs(8): columns restart after "\n" and "\r". */
function expandTabs(s: string, size = 8): string {
  let out = '';
  let column = 0;
  for (const ch of s) {
    if (ch === '\t') {
      const n = size - (column % size);
      out += ' '.repeat(n);
      column += n;
    } else {
      out += ch;
      column = ch === '\n' || ch === '\r' ? 0 : column + 1;
    }
  }
  return out;
}

/** textwrap's whitespace: ASCII only, so a no-break space never breaks a line. */
const WRAP_SPACE = new Set(['\t', '\n', '\v', '\f', '\r', ' ']);

/** The chunks textwrap wraps: runs of ASCII whitespace and runs of anything else, alternating. */
function chunksOf(text: string): string[] {
  const munged = [...expandTabs(text)].map((ch) => (WRAP_SPACE.has(ch) ? ' ' : ch)).join('');
  const chunks: string[] = [];
  let start = 0;
  for (let i = 1; i <= munged.length; i++) {
    if (i === munged.length || (munged[i] === ' ') !== (munged[start] === ' ')) {
      chunks.push(munged.slice(start, i));
      start = i;
    }
  }
  return chunks.filter(Boolean);
}

/**
 * textwrap.fill(text, width, subsequent_indent=indent, break_long_words=False,
 * break_on_hyphens=False), as towncrier's `wrap = true` calls it on every line.
 */
export function textwrapFill(text: string, width: number, indent: string): string {
  const chunks = chunksOf(text).reverse();
  const lines: string[] = [];
  while (chunks.length > 0) {
    const lead = lines.length ? indent : '';
    const room = width - pyLen(lead);
    if (pyStrip(chunks[chunks.length - 1]!) === '' && lines.length) chunks.pop();
    const line: string[] = [];
    let used = 0;
    while (chunks.length > 0 && used + pyLen(chunks[chunks.length - 1]!) <= room) {
      const chunk = chunks.pop()!;
      line.push(chunk);
      used += pyLen(chunk);
    }
    // A word longer than a line is never broken: it gets a line of its own.
    if (chunks.length > 0 && pyLen(chunks[chunks.length - 1]!) > room && line.length === 0) line.push(chunks.pop()!);
    if (line.length > 0 && pyStrip(line[line.length - 1]!) === '') line.pop();
    if (line.length > 0) lines.push(lead + line.join(''));
  }
  return lines.join('\n');
}
