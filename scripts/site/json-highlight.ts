/**
 * highlight.js's markup for JSON that `JSON.stringify` wrote, made in one pass over the text.
 * highlight.js matches every token against the whole grammar and took most of the time the
 * blocks cost; stringified JSON has only six kinds of token, so a scan yields the same markup.
 * Anything the scan does not expect returns undefined, and the caller asks highlight.js; the
 * tests compare both on every example of the reference trees.
 */

const PUNCTUATION = '{}[],:';
const LITERALS = ['true', 'false', 'null'] as const;

/** highlight.js's own escaping, which also escapes `'` (as `&#x27;`). */
function escapeLikeHljs(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const entity = ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '"' ? '&quot;'
      : ch === "'" ? '&#x27;' : undefined;
    if (entity === undefined) continue;
    out += text.slice(from, i) + entity;
    from = i + 1;
  }
  return out + text.slice(from);
}

function span(scope: string, html: string): string {
  return `<span class="hljs-${scope}">${html}</span>`;
}

function isBlank(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\n';
}

/** The index of the quote closing the string that opens at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '"') return i;
    else if (ch === '\n' || ch === '\r') return -1;
  }
  return -1;
}

/** Where a number that starts at `start` ends: stringified numbers use digits, `-`, `+`, `.` and `e`. */
function numberEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && '0123456789-+.e'.includes(text[i]!)) i++;
  return i;
}

/** A string token, pushed as an `attr` when a colon follows it (a key), else as a `string`; its end or -1. */
function stringToken(text: string, start: number, out: string[]): number {
  const close = stringEnd(text, start);
  if (close === -1) return -1;
  let next = close + 1;
  while (isBlank(text[next])) next++;
  out.push(span(text[next] === ':' ? 'attr' : 'string', escapeLikeHljs(text.slice(start, close + 1))));
  return close + 1;
}

/** `true`, `false` or `null` at `start`, pushed as highlight.js nests it; its end or -1. */
function literalToken(text: string, start: number, out: string[]): number {
  const literal = LITERALS.find((word) => text.startsWith(word, start));
  if (!literal) return -1;
  out.push(span('literal', span('keyword', literal)));
  return start + literal.length;
}

/** One token of stringified JSON at `i`, pushed as highlight.js marks it up; where it ends, or -1. */
function token(text: string, i: number, out: string[]): number {
  const ch = text[i]!;
  if (PUNCTUATION.includes(ch)) { out.push(span('punctuation', ch)); return i + 1; }
  if (ch === '"') return stringToken(text, i, out);
  if (ch === '-' || (ch >= '0' && ch <= '9')) {
    const end = numberEnd(text, i);
    out.push(span('number', text.slice(i, end)));
    return end;
  }
  return literalToken(text, i, out);
}

/** The markup highlight.js gives `text` (output of `JSON.stringify(value, null, 2)`), or undefined. */
export function highlightStringifiedJson(text: string): string | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (isBlank(text[i])) {
      const from = i;
      while (isBlank(text[i])) i++;
      out.push(text.slice(from, i));
      continue;
    }
    i = token(text, i, out);
    if (i === -1) return undefined;
  }
  return out.join('');
}
