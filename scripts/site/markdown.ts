import type Token from 'markdown-it/lib/token.mjs';
import { HeadingIds, IdRegistry, LAYOUT_IDS } from './ids.js';
import { escapeHtml, safeMarkdownIt } from './markdown/engine.js';
import {
  lineStartsOf, MARK, proseRules, TEXT_DIRECTIVES, type DirectiveMeta, type ProseEnv,
} from './markdown/prose-rules.js';

export { TEXT_DIRECTIVES };

/** A directive found in a page: `::operation{id=knockRoom}`, `:::note` … `:::`, `:added-in{v="1.1"}`. */
export interface Directive {
  kind: 'leaf' | 'container' | 'text';
  name: string;
  /** A null-prototype record: `__proto__` is an ordinary key. */
  attributes: Record<string, string>;
  /** 1-based, in the source given to `prepareProse`. */
  line: number;
  column: number;
}

/** The trusted HTML a directive becomes: one string, or what goes around a container's content. */
export type DirectiveBlock = string | { open: string; close: string };

export interface Heading { depth: number; id: string; text: string }

export interface RenderedMarkdown {
  html: string;
  headings: Heading[];
}

/** Prose rendered to HTML with placeholders where its directives and heading ids go, kept per source text. */
export interface PreparedProse {
  html: string;
  headings: Heading[];
  /** Every id the prose itself carries (its headings'), unique and non-empty. */
  ids: string[];
  directives: Directive[];
}

const prose = safeMarkdownIt();
proseRules(prose);
// markdown-it joins entities into plain text late in parsing; the id's text is taken before that.
prose.core.ruler.before('text_join', 'mx_heading_id_text', (state) => {
  state.tokens.forEach((t, i) => {
    if (t.type === 'heading_open') t.meta = { ...(t.meta as object | null), idText: idText(state.tokens[i + 1]?.children ?? null) };
  });
});
const describer = safeMarkdownIt();

/** A heading's text as a reader sees it: code spans' text included, markup and images left out. */
function plainText(children: readonly Token[] | null): string {
  let out = '';
  for (const t of children ?? []) {
    if (t.type === 'text' || t.type === 'code_inline' || t.type === 'text_special') out += t.content;
    else if (t.type === 'softbreak' || t.type === 'hardbreak') out += ' ';
  }
  return out;
}

interface HeadingMeta { customId?: string; repeated?: boolean; idIndex?: number; idText?: string }

/**
 * Heading ids as the published site gives them. Hand-written ids are reserved first, so a heading
 * numbered from its text never takes one; a hand-written id used twice is numbered the second time.
 */
/**
 * The text Hugo makes a heading's id from: as `plainText`, but an entity as written (`&gt;` gives
 * `gt`), since Hugo reads the heading's source before entities are resolved.
 */
function idText(children: readonly Token[] | null): string {
  let out = '';
  for (const t of children ?? []) {
    if (t.type === 'text_special' && t.info === 'entity') out += t.markup;
    else if (t.type === 'text' || t.type === 'code_inline' || t.type === 'text_special') out += t.content;
    else if (t.type === 'softbreak' || t.type === 'hardbreak') out += ' ';
  }
  return out;
}

function numberHeadings(tokens: readonly Token[]): { headings: Heading[]; ids: string[] } {
  const names = new HeadingIds();
  const handWritten = new Set<string>();
  for (const t of tokens) {
    const meta = t.meta as HeadingMeta | null;
    if (t.type !== 'heading_open' || meta?.customId === undefined) continue;
    if (handWritten.has(meta.customId)) meta.repeated = true;
    else { handWritten.add(meta.customId); names.reserve(meta.customId); }
  }
  const headings: Heading[] = [];
  const ids: string[] = [];
  tokens.forEach((t, i) => {
    if (t.type !== 'heading_open') return;
    const children = tokens[i + 1]?.children ?? null;
    const text = plainText(children);
    const meta: HeadingMeta = (t.meta as HeadingMeta | null) ?? {};
    const id = meta.customId !== undefined && !meta.repeated ? meta.customId : names.next(meta.customId ?? meta.idText ?? idText(children));
    t.meta = { ...meta, idIndex: ids.length };
    ids.push(id);
    headings.push({ depth: Number(t.tag.slice(1)), id, text });
  });
  return { headings, ids };
}

/** Where a line of `text` that starts at `from` ends, before its trailing spaces and tabs. */
function trimmedEnd(text: string, from: number, end: number): number {
  let at = end;
  while (at > from && (text.charCodeAt(at - 1) === 0x20 || text.charCodeAt(at - 1) === 0x09)) at--;
  return at;
}

function lineEndOf(text: string, from: number): number {
  const at = text.indexOf('\n', from);
  return at === -1 ? text.length : at;
}

/**
 * Places the text directives of one inline token in the source. Its content is its source lines
 * less what blocks strip in front (indent, `>`, list markers), so a line of content ends where its
 * source line ends; table cells and headings with ids differ, and there the name is searched
 * for on the line. Moves forward only, so a long line is walked once.
 */
class TextPlacer {
  private line = 0;
  private start = 0;
  private end: number;
  private searchFrom = 0;
  /** The current source line: where it starts and ends, and its length less trailing blanks. */
  private source = { line: -1, start: 0, end: 0, shift: 0 };

  constructor(private readonly content: string, private readonly firstLine: number, private readonly src: string,
    private readonly lineStarts: readonly number[]) {
    this.end = lineEndOf(content, 0);
  }

  /** Moves to the content line holding `offset` and its source line, measuring each line once. */
  private advance(offset: number): void {
    while (offset > this.end && this.end < this.content.length) {
      this.start = this.end + 1;
      this.end = lineEndOf(this.content, this.start);
      this.line++;
      this.searchFrom = 0;
    }
    const line = Math.min(this.firstLine + this.line, this.lineStarts.length - 1);
    if (line === this.source.line) return;
    const start = this.lineStarts[line]!;
    const end = lineEndOf(this.src, start);
    const contentLength = trimmedEnd(this.content, this.start, this.end) - this.start;
    this.source = { line, start, end, shift: trimmedEnd(this.src, start, end) - start - contentLength };
  }

  place(meta: DirectiveMeta): { line: number; column: number } {
    const offset = meta.offset ?? 0;
    this.advance(offset);
    const { line, start, end, shift } = this.source;
    let column = shift + offset - this.start;
    const written = `:${meta.name}{`;
    if (column < this.searchFrom || !this.src.startsWith(written, start + column)) {
      // Searched within the line only, and from the last one found, so a line is read once.
      const found = this.src.slice(0, end).indexOf(written, start + this.searchFrom);
      column = found === -1 ? Math.max(0, Math.min(column, end - start)) : found - start;
      if (found === -1) this.searchFrom = end - start;
    }
    this.searchFrom = Math.max(this.searchFrom, column + 1);
    return { line: line + 1, column: column + 1 };
  }
}

/** Numbers the directives in document order (a container before its content) and places each one. */
function numberDirectives(tokens: readonly Token[], env: ProseEnv): Directive[] {
  const directives: Directive[] = [];
  const src = env.src ?? '';
  const lineStarts = env.lineStarts ?? lineStartsOf(src);
  const add = (meta: DirectiveMeta, line: number, column: number) => {
    meta.index = directives.length;
    directives.push({ kind: meta.kind, name: meta.name, attributes: meta.attributes, line, column });
  };
  let map: [number, number] | null = null;
  for (const t of tokens) {
    if (t.map) map = t.map;
    const meta = t.meta as DirectiveMeta | null;
    const block = t.type === 'mx_leaf' || t.type === 'mx_container_open';
    if (meta && block) add(meta, (meta.line ?? 0) + 1, meta.column ?? 1);
    if (t.type !== 'inline' || !t.children?.some((c) => c.type === 'mx_text')) continue;
    const placer = new TextPlacer(t.content, map?.[0] ?? 0, src, lineStarts);
    for (const child of t.children) {
      if (child.type !== 'mx_text') continue;
      const at = placer.place(child.meta as DirectiveMeta);
      add(child.meta as DirectiveMeta, at.line, at.column);
    }
  }
  return directives;
}

const prepared = new Map<string, PreparedProse>();

/** Parses and renders prose once per text; directives and heading ids become placeholders. */
export function prepareProse(source: string): PreparedProse {
  const known = prepared.get(source);
  if (known) return known;
  const env: ProseEnv = {};
  const tokens = prose.parse(source, env);
  const { headings, ids } = numberHeadings(tokens);
  const directives = numberDirectives(tokens, env);
  const page = { html: prose.renderer.render(tokens, prose.options, env), headings, ids, directives };
  if (prepared.size > 500) prepared.clear();
  prepared.set(source, page);
  return page;
}

function partsOf(block: DirectiveBlock | undefined): { open: string; close: string } {
  if (typeof block === 'string') return { open: block, close: '' };
  return { open: String(block?.open ?? ''), close: String(block?.close ?? '') };
}

/** What one placeholder (`b3`, `o3`, `c3`, `i7`) stands for. */
function fill(mark: string, blocks: readonly DirectiveBlock[], ids: readonly string[]): string {
  const n = Number(mark.slice(1));
  switch (mark[0]) {
    case 'i': return escapeHtml(ids[n] ?? '');
    case 'b': case 'o': return partsOf(blocks[n]).open;
    case 'c': return partsOf(blocks[n]).close;
    default: return '';
  }
}

/**
 * Puts the generated blocks into prepared prose: a string for a leaf or text directive, and the
 * HTML around its rendered content for a container. A prose id that a block or the layout also
 * uses (a heading "m.room.member" anchors like the event) is renumbered, so the block keeps its
 * anchor and the table of contents follows the heading.
 */
export function assembleProse(
  page: PreparedProse, blocks: readonly DirectiveBlock[], reserved: ReadonlySet<string>,
): RenderedMarkdown {
  const registry = new IdRegistry([...reserved, ...page.ids]);
  const renames = new Map<string, string>();
  for (const id of page.ids) if (reserved.has(id)) renames.set(id, registry.claim(id));
  const ids = page.ids.map((id) => renames.get(id) ?? id);
  const parts = page.html.split(MARK);
  let html = '';
  for (let i = 0; i < parts.length; i++) html += i % 2 === 0 ? parts[i] : fill(parts[i]!, blocks, ids);
  return { html, headings: page.headings.map((h) => ({ ...h, id: renames.get(h.id) ?? h.id })) };
}

/**
 * Markdown → safe HTML, each directive replaced by the trusted block `onDirective` generates for
 * it. The prose itself is rendered once per text: when only data changes (the dev server), only
 * the blocks are generated again.
 */
export function renderMarkdown(source: string, onDirective?: (d: Directive) => DirectiveBlock): RenderedMarkdown {
  const page = prepareProse(source);
  const blocks = page.directives.map((d) => (onDirective ? onDirective(d) : ''));
  return assembleProse(page, blocks, new Set(LAYOUT_IDS));
}

interface Description { html: string; inline?: string }

/** Shared schemas repeat the same descriptions on many pages: each text is rendered once. */
const descriptions = new Map<string, Description>();

function describe(text: string): Description {
  const env = {};
  const tokens = describer.parse(text, env);
  if (tokens.length === 3 && tokens[0]!.type === 'paragraph_open') {
    const inline = describer.renderer.renderInline(tokens[1]!.children ?? [], describer.options, env);
    return { html: `<p>${inline}</p>\n`, inline };
  }
  return { html: describer.renderer.render(tokens, describer.options, env) };
}

/** A description from data/: Markdown, made safe like all prose; one paragraph is unwrapped when asked. */
export function renderDescription(text: unknown, inline = false): string {
  if (typeof text !== 'string' || text.trim() === '') return '';
  let known = descriptions.get(text);
  if (known === undefined) {
    known = describe(text);
    if (descriptions.size > 20000) descriptions.clear();
    descriptions.set(text, known);
  }
  return inline && known.inline !== undefined ? known.inline : known.html;
}
