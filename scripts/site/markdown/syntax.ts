import { setOwn } from '../../core/tree.js';

/**
 * The directive syntax of remark-directive, scanned by hand: `name`, an optional `[label]` (read
 * and ignored) and an optional `{key=value key2="quoted" #id .class}`. Every scan moves forward
 * only and stops at `max`, so a line costs time linear in its length, however it is built.
 */

export interface DirectiveHead {
  name: string;
  attributes: Record<string, string>;
  /** Where the head ends in the source. */
  end: number;
}

const SPACE = 0x20;
const TAB = 0x09;

function isAlpha(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isNameChar(code: number): boolean {
  return isAlpha(code) || isDigit(code) || code === 0x2d || code === 0x5f;
}

function isKeyStart(code: number): boolean {
  return isAlpha(code) || code === 0x5f || code === 0x3a;
}

function isKeyChar(code: number): boolean {
  return isKeyStart(code) || isDigit(code) || code === 0x2d || code === 0x2e;
}

/** An unquoted value stops at white space, quotes, `=`, `<`, `>`, a backtick or the closing brace. */
function isBareValueChar(code: number): boolean {
  return code > 0x20 && code !== 0x22 && code !== 0x27 && code !== 0x3d && code !== 0x3c && code !== 0x3e
    && code !== 0x60 && code !== 0x7d;
}

function skipBlanks(src: string, at: number, max: number): number {
  let pos = at;
  while (pos < max && (src.charCodeAt(pos) === SPACE || src.charCodeAt(pos) === TAB)) pos++;
  return pos;
}

/** Whether only spaces and tabs remain before `max`. */
export function blankFrom(src: string, at: number, max: number): boolean {
  return skipBlanks(src, at, max) >= max;
}

/** The directive's name at `at`: a letter, then letters, digits, `-` and `_`. */
export function scanName(src: string, at: number, max: number): number {
  if (at >= max || !isAlpha(src.charCodeAt(at))) return at;
  let pos = at + 1;
  while (pos < max && isNameChar(src.charCodeAt(pos))) pos++;
  return pos;
}

/** Past a `[label]` without nested brackets; `at` itself when there is none; -1 when it never closes. */
function skipLabel(src: string, at: number, max: number): number {
  if (at >= max || src.charCodeAt(at) !== 0x5b) return at;
  for (let pos = at + 1; pos < max; pos++) {
    const code = src.charCodeAt(pos);
    if (code === 0x5d) return pos + 1;
    if (code === 0x5b || code === 0x0a) return -1;
  }
  return -1;
}

/** A quoted or bare value starting at `at`, and where it ends; undefined when there is none. */
function scanValue(src: string, at: number, max: number): { value: string; end: number } | undefined {
  const quote = src.charCodeAt(at);
  if (quote === 0x22 || quote === 0x27) {
    let close = at + 1;
    while (close < max && src.charCodeAt(close) !== quote) close++;
    if (close >= max) return undefined;
    return { value: src.slice(at + 1, close), end: close + 1 };
  }
  let pos = at;
  while (pos < max && isBareValueChar(src.charCodeAt(pos))) pos++;
  return pos === at ? undefined : { value: src.slice(at, pos), end: pos };
}

/** `#id` and `.class` shorthands: the class list grows, a later id wins. */
function addShorthand(attributes: Record<string, string>, marker: number, value: string): void {
  if (marker === 0x23) { setOwn(attributes, 'id', value); return; }
  const classes = Object.prototype.hasOwnProperty.call(attributes, 'class') ? attributes.class : '';
  setOwn(attributes, 'class', classes ? `${classes} ${value}` : value);
}

/** One attribute at `at` (not white space, not `}`) into `attributes`; where it ends, or -1. */
function scanAttribute(src: string, at: number, max: number, attributes: Record<string, string>): number {
  const code = src.charCodeAt(at);
  if (code === 0x23 || code === 0x2e) {
    const value = scanValue(src, at + 1, max);
    if (!value || src.charCodeAt(at + 1) === 0x22 || src.charCodeAt(at + 1) === 0x27) return -1;
    addShorthand(attributes, code, value.value);
    return value.end;
  }
  if (!isKeyStart(code)) return -1;
  let pos = at + 1;
  while (pos < max && isKeyChar(src.charCodeAt(pos))) pos++;
  const key = src.slice(at, pos);
  const eq = skipBlanks(src, pos, max);
  if (eq >= max || src.charCodeAt(eq) !== 0x3d) { setOwn(attributes, key, ''); return pos; }
  const value = scanValue(src, skipBlanks(src, eq + 1, max), max);
  if (!value) return -1;
  setOwn(attributes, key, value.value);
  return value.end;
}

/**
 * The `{...}` at `at` into a null-prototype record (`__proto__` is an ordinary key); undefined
 * when it is not a well-formed attribute list ending before `max`.
 */
export function scanAttributes(
  src: string, at: number, max: number,
): { attributes: Record<string, string>; end: number } | undefined {
  const attributes = Object.create(null) as Record<string, string>;
  let pos = at + 1;
  while (pos < max) {
    pos = skipBlanks(src, pos, max);
    if (pos >= max) return undefined;
    if (src.charCodeAt(pos) === 0x7d) return { attributes, end: pos + 1 };
    const end = scanAttribute(src, pos, max, attributes);
    // Attributes are separated by white space or end at the brace.
    if (end === -1 || (end < max && !isSeparator(src.charCodeAt(end)))) return undefined;
    pos = end;
  }
  return undefined;
}

function isSeparator(code: number): boolean {
  return code === SPACE || code === TAB || code === 0x7d;
}

/** A directive's name, label and attributes from `at` (just past its colons); undefined when malformed. */
export function scanHead(src: string, at: number, max: number): DirectiveHead | undefined {
  const nameEnd = scanName(src, at, max);
  if (nameEnd === at) return undefined;
  const name = src.slice(at, nameEnd);
  const labelEnd = skipLabel(src, nameEnd, max);
  if (labelEnd === -1) return undefined;
  if (labelEnd >= max || src.charCodeAt(labelEnd) !== 0x7b) {
    return { name, attributes: Object.create(null) as Record<string, string>, end: labelEnd };
  }
  const attrs = scanAttributes(src, labelEnd, max);
  return attrs ? { name, attributes: attrs.attributes, end: attrs.end } : undefined;
}
