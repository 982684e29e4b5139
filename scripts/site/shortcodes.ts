/**
 * Hugo shortcodes, as the upstream spec's `content/` pages write them, turned into the directives
 * our own pages use, so both feed one table of block handlers (`directives.ts`):
 *
 *   {{% http-api spec="x" api="y" %}}   →  ::http-api{spec="x" api="y"}
 *   {{% boxes/note %}} … {{% /boxes/note %}}  →  :::note … :::
 *   {{< added-in v="1.1" >}} (in a sentence)  →  :added-in{v="1.1"}
 *   {{% cs-module name="x" %}}, {{% rver-fragment name="x" %}}  →  the named file's text, in place
 *
 * Lines keep their origin (file and line), so every problem is reported where it was written.
 */

/** One shortcode call: `{{% name key="value" %}}`, or its closing form `{{% /name %}}`. */
export interface Shortcode {
  name: string;
  closing: boolean;
  params: Record<string, string>;
  /** Where the call starts and ends in its line (end exclusive). */
  start: number;
  end: number;
  /** Hugo's escaped form (a comment inside the delimiters): shown as written, never run. */
  literal?: string;
}

/** Shortcodes that stand for a block: written alone on their line. */
export const BLOCK_SHORTCODES = new Set([
  'http-api', 'event', 'event-group', 'event-fields', 'definition', 'msgtypes', 'sas-emojis', 'proposal-tables',
  'diagram',
]);
/** Shortcodes that pull another file of `content/` in where they stand. */
export const INCLUDE_SHORTCODES: Record<string, string> = { 'cs-module': 'modules', 'rver-fragment': 'fragments' };
/** Shortcodes with a closing tag, and the container directive each becomes. */
export const BOX_SHORTCODES: Record<string, string> = {
  'boxes/note': 'note', 'boxes/warning': 'warning', 'boxes/rationale': 'rationale',
};
/** Shortcodes that sit inside a sentence. */
export const INLINE_SHORTCODES = new Set(['added-in', 'changed-in']);

export function isKnownShortcode(name: string): boolean {
  return BLOCK_SHORTCODES.has(name) || INLINE_SHORTCODES.has(name)
    || Object.hasOwn(INCLUDE_SHORTCODES, name) || Object.hasOwn(BOX_SHORTCODES, name);
}

function isSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** Reads `key="v" key2=v "positional"` left to right; a string is what is wrong with it. */
export function parseParams(text: string): Record<string, string> | string {
  const params = Object.create(null) as Record<string, string>;
  let i = 0;
  let positional = 0;
  while (i < text.length) {
    while (isSpace(text[i])) i++;
    if (i >= text.length) break;
    let key = '';
    const keyStart = i;
    while (i < text.length && !isSpace(text[i]) && text[i] !== '=' && text[i] !== '"' && text[i] !== '`') i++;
    key = text.slice(keyStart, i);
    if (text[i] !== '=') {
      if (key !== '') { params[String(positional++)] = key; continue; }
    } else {
      i++;
    }
    const quote = text[i];
    let value: string;
    if (quote === '"' || quote === '`') {
      const close = text.indexOf(quote, i + 1);
      if (close === -1) return `the value of ${key || 'a parameter'} opens ${quote} and never closes it`;
      value = text.slice(i + 1, close);
      i = close + 1;
    } else {
      const start = i;
      while (i < text.length && !isSpace(text[i])) i++;
      value = text.slice(start, i);
    }
    if (key === '') key = String(positional++);
    else if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return `"${key}" is not a parameter name`;
    params[key] = value;
  }
  return params;
}

/** The shortcode calls of one line, left to right; a string is what is wrong with the line. */
export function findShortcodes(line: string): Shortcode[] | string {
  const found: Shortcode[] = [];
  let from = 0;
  for (;;) {
    const start = line.indexOf('{{', from);
    if (start === -1) return found;
    const kind = line[start + 2];
    if (kind !== '%' && kind !== '<') { from = start + 2; continue; }
    const closer = `${kind === '%' ? '%' : '>'}}}`;
    const stop = line.indexOf(closer, start + 3);
    if (stop === -1) return `a shortcode opened with {{${kind} is not closed by ${closer} on the same line`;
    const end = stop + 3;
    const inner = line.slice(start + 3, stop).trim();
    if (inner.startsWith('/*') && inner.endsWith('*/')) {
      const shown = `{{${kind} ${inner.slice(2, -2).trim()} ${closer}`;
      found.push({ name: '', closing: false, params: {}, start, end, literal: shown });
      from = end;
      continue;
    }
    const closing = inner.startsWith('/');
    const body = (closing ? inner.slice(1) : inner).replace(/\/$/, '').trim();
    const space = body.search(/\s/);
    const name = space === -1 ? body : body.slice(0, space);
    const params = parseParams(space === -1 ? '' : body.slice(space + 1));
    if (typeof params === 'string') return `shortcode ${name}: ${params}`;
    found.push({ name, closing, params, start, end });
    from = end;
  }
}

/** `{key="value"}` for a directive; a value holding both kinds of quote cannot be written and is refused. */
export function directiveAttributes(params: Record<string, string>): string | undefined {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) continue;
    const quote = value.includes('"') ? "'" : '"';
    if (value.includes(quote) || value.includes('\n')) return undefined;
    parts.push(`${key}=${quote}${value}${quote}`);
  }
  return parts.length ? `{${parts.join(' ')}}` : '';
}
