import type MarkdownIt from 'markdown-it';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { customHeadingId } from '../ids.js';
import { blankFrom, scanAttributes, scanHead, scanName } from './syntax.js';

/**
 * What prose adds to the shared engine: leaf (`::name{…}`), container (`:::name{…}` … `:::`) and
 * text (`:added-in{…}`) directives, and hand-written heading ids (`## Title {#id}`). Directives
 * become tokens rendered as placeholders: a NUL, a letter and a number, then a NUL. markdown-it
 * turns every NUL of its input into U+FFFD, so no prose can write a placeholder.
 */

/** Starts and ends each placeholder in rendered prose. */
export const MARK = '\u0000';

/** The inline directives prose may use; any other `:word{…}` stays text as written. */
export const TEXT_DIRECTIVES: ReadonlySet<string> = new Set(['added-in', 'changed-in']);

/** What a directive token carries; `index` is given when the page's directives are numbered. */
export interface DirectiveMeta {
  kind: 'leaf' | 'container' | 'text';
  name: string;
  attributes: Record<string, string>;
  /** 0-based line of the normalised source, for block directives. */
  line?: number;
  column?: number;
  /** Offset in the inline content, for text directives. */
  offset?: number;
  index?: number;
}

/** What the parse leaves for the numbering pass: the normalised source and its line starts. */
export interface ProseEnv {
  src?: string;
  lineStarts?: number[];
  containerDepth?: number;
}

/** Containers nest this deep at most; each open one scans ahead for its end, so depth bounds the cost. */
const MAX_CONTAINER_DEPTH = 20;
/** A text directive's braces hold a version or two: a longer run is text, which keeps scanning linear. */
const MAX_TEXT_DIRECTIVE = 1000;
const COLON = 0x3a;

export function lineStartsOf(src: string): number[] {
  const starts = [0];
  for (let at = src.indexOf('\n'); at !== -1; at = src.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** The 1-based column of a source offset on a 0-based line. */
function columnOf(state: StateBlock, line: number, offset: number): number {
  const env = state.env as ProseEnv;
  env.lineStarts ??= lineStartsOf(state.src);
  return offset - (env.lineStarts[line] ?? 0) + 1;
}

function colonsAt(src: string, at: number, max: number): number {
  let pos = at;
  while (pos < max && src.charCodeAt(pos) === COLON) pos++;
  return pos - at;
}

/** `::name{…}` alone on its line (up to three spaces of indent, trailing blanks allowed). */
function leafDirective(state: StateBlock, startLine: number, _endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  const max = state.eMarks[startLine]!;
  if (colonsAt(state.src, start, max) !== 2) return false;
  const head = scanHead(state.src, start + 2, max);
  if (!head || !blankFrom(state.src, head.end, max)) return false;
  if (silent) return true;
  const token = state.push('mx_leaf', 'div', 0);
  token.map = [startLine, startLine + 1];
  const meta: DirectiveMeta = { kind: 'leaf', name: head.name, attributes: head.attributes, line: startLine };
  meta.column = columnOf(state, startLine, start);
  token.meta = meta;
  state.line = startLine + 1;
  return true;
}

/** The line closing a container opened with `size` colons, or where it ends unclosed; `closed` says which. */
function containerEnd(state: StateBlock, startLine: number, endLine: number, size: number): [number, boolean] {
  for (let line = startLine + 1; line < endLine; line++) {
    const start = state.bMarks[line]! + state.tShift[line]!;
    const max = state.eMarks[line]!;
    // A non-blank line less indented than the container leaves the list item holding it.
    if (start < max && state.sCount[line]! < state.blkIndent) return [line, false];
    if (state.sCount[line]! - state.blkIndent >= 4) continue;
    const colons = colonsAt(state.src, start, max);
    if (colons >= size && blankFrom(state.src, start + colons, max)) return [line, true];
  }
  return [endLine, false];
}

/** `:::name{…}`, Markdown content, then a line of at least as many colons; unclosed, it runs to the end. */
function containerDirective(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const env = state.env as ProseEnv;
  if ((env.containerDepth ?? 0) >= MAX_CONTAINER_DEPTH) return false;
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  const max = state.eMarks[startLine]!;
  const size = colonsAt(state.src, start, max);
  if (size < 3) return false;
  const head = scanHead(state.src, start + size, max);
  if (!head || !blankFrom(state.src, head.end, max)) return false;
  if (silent) return true;
  const [end, closed] = containerEnd(state, startLine, endLine, size);
  const meta: DirectiveMeta = { kind: 'container', name: head.name, attributes: head.attributes, line: startLine };
  meta.column = columnOf(state, startLine, start);
  const open = state.push('mx_container_open', 'div', 1);
  open.map = [startLine, end];
  open.meta = meta;
  const oldParent = state.parentType;
  const oldLineMax = state.lineMax;
  state.parentType = 'container' as typeof state.parentType;
  state.lineMax = end;
  env.containerDepth = (env.containerDepth ?? 0) + 1;
  state.md.block.tokenize(state, startLine + 1, end);
  env.containerDepth -= 1;
  state.parentType = oldParent;
  state.lineMax = oldLineMax;
  state.push('mx_container_close', 'div', -1).meta = meta;
  state.line = closed ? end + 1 : end;
  return true;
}

/** `:added-in{v="1.1"}` in text: a known name with its braces right after it. */
function textDirective(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const pos = state.pos;
  if (src.charCodeAt(pos) !== COLON || (pos > 0 && src.charCodeAt(pos - 1) === COLON)) return false;
  const nameEnd = scanName(src, pos + 1, Math.min(state.posMax, pos + 40));
  const name = src.slice(pos + 1, nameEnd);
  if (!TEXT_DIRECTIVES.has(name) || src.charCodeAt(nameEnd) !== 0x7b) return false;
  const attrs = scanAttributes(src, nameEnd, Math.min(state.posMax, nameEnd + MAX_TEXT_DIRECTIVE));
  if (!attrs) return false;
  if (!silent) {
    const meta: DirectiveMeta = { kind: 'text', name, attributes: attrs.attributes, offset: pos };
    state.push('mx_text', '', 0).meta = meta;
  }
  state.pos = attrs.end;
  return true;
}

/** Moves `{#id}` off a heading's text before it is parsed; the id waits on the heading token. */
function takeCustomIds(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i]!.type !== 'heading_open') continue;
    const inline = tokens[i + 1]!;
    const custom = customHeadingId(inline.content);
    if (custom.id === undefined) continue;
    inline.content = custom.text;
    tokens[i]!.meta = { customId: custom.id };
  }
}

function placeholder(kind: string, token: Token): string {
  return `${MARK}${kind}${(token.meta as DirectiveMeta).index ?? -1}${MARK}`;
}

function installRenderRules(md: MarkdownIt): void {
  const rules = md.renderer.rules;
  rules.mx_leaf = (tokens, idx) => `${placeholder('b', tokens[idx]!)}\n`;
  rules.mx_container_open = (tokens, idx) => `${placeholder('o', tokens[idx]!)}\n`;
  rules.mx_container_close = (tokens, idx) => `${placeholder('c', tokens[idx]!)}\n`;
  rules.mx_text = (tokens, idx) => placeholder('b', tokens[idx]!);
  rules.heading_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx]!;
    const k = (token.meta as { idIndex?: number } | null)?.idIndex;
    return k === undefined ? self.renderToken(tokens, idx, options) : `<${token.tag} id="${MARK}i${k}${MARK}">`;
  };
}

/** Adds directives and hand-written heading ids to an engine made by `safeMarkdownIt`. */
export function proseRules(md: MarkdownIt): void {
  const interrupts = { alt: ['paragraph', 'reference', 'blockquote', 'list'] };
  md.block.ruler.before('fence', 'mx_container', containerDirective, interrupts);
  md.block.ruler.before('fence', 'mx_leaf', leafDirective, interrupts);
  md.inline.ruler.after('text', 'mx_text', textDirective);
  md.core.ruler.after('normalize', 'mx_source', (state) => { (state.env as ProseEnv).src = state.src; });
  md.core.ruler.after('block', 'mx_custom_ids', takeCustomIds);
  installRenderRules(md);
}
