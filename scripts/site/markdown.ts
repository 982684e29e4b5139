import { randomBytes } from 'node:crypto';
import { slug } from 'github-slugger';
import { defaultSchema, type Schema } from 'hast-util-sanitize';
import rehypeSanitize from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import rehypeStringify from 'rehype-stringify';
import remarkDirective from 'remark-directive';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type Processor } from 'unified';
import { visit } from 'unist-util-visit';
import { setOwn } from '../core/tree.js';
import { IdRegistry, LAYOUT_IDS } from './ids.js';

/** A directive found in a page: `::operation{id=knockRoom}` and friends. */
export interface Directive {
  name: string;
  attributes: Record<string, string>;
  line: number;
  column: number;
}

export interface Heading { depth: number; id: string; text: string }

export interface RenderedMarkdown {
  html: string;
  headings: Heading[];
}

/**
 * What survives sanitizing: GitHub's schema, but heading ids kept as written (they are our
 * anchors) and the placeholder elements directives become. No script, no event handler, no
 * `javascript:` URL gets through.
 */
const SCHEMA: Schema = {
  ...defaultSchema,
  clobberPrefix: '',
  attributes: {
    ...defaultSchema.attributes,
    '*': [...(defaultSchema.attributes?.['*'] ?? []), 'id'],
    div: [...(defaultSchema.attributes?.div ?? []), 'dataMxBlock'],
    code: [...(defaultSchema.attributes?.code ?? []), ['className', /^language-[\w-]+$/]],
  },
};

interface MdNode { type: string; name?: string; attributes?: Record<string, string | null | undefined>; position?: { start: { line: number; column: number } }; data?: Record<string, unknown>; children?: MdNode[]; depth?: number; value?: string }

function textOf(node: MdNode): string {
  return node.value ?? (node.children ?? []).map(textOf).join('');
}

/**
 * Markdown → sanitized HTML. Leaf directives become numbered placeholders which `render`
 * replaces with trusted, generated blocks after sanitizing; headings are collected for the
 * table of contents.
 */
export function markdownProcessor(): Processor {
  return unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkDirective)
    .use(remarkRehype)
    .use(rehypeSlug)
    .use(rehypeSanitize, SCHEMA)
    .use(rehypeStringify) as unknown as Processor;
}

const processor = markdownProcessor();

/** Prose rendered to HTML with placeholders where its directives go, kept per source text. */
export interface PreparedProse {
  html: string;
  /** The sanitized tree, kept to rename ids when blocks claim them (rare, so not done up front). */
  hast: unknown;
  headings: Heading[];
  /** Every id the prose itself carries (headings and raw HTML), unique and non-empty. */
  ids: string[];
  directives: Directive[];
}
const prepared = new Map<string, PreparedProse>();

/** Placeholders carry a token no author can guess, so raw HTML in prose cannot summon a block. */
const BLOCK_TOKEN = randomBytes(6).toString('hex');
const PLACEHOLDER = `<div data-mx-block="${BLOCK_TOKEN}-`;

interface HastElement { type: string; tagName: string; properties?: Record<string, unknown>; children?: unknown[] }

function collectDirectives(tree: MdNode): Directive[] {
  const directives: Directive[] = [];
  visit(tree as never, (node: MdNode) => {
    if (node.type !== 'leafDirective' && node.type !== 'containerDirective' && node.type !== 'textDirective') return;
    if (node.type === 'textDirective') {
      // `:name` inside a sentence is text, not a directive: put it back as written.
      node.type = 'text';
      node.value = `:${node.name}${(node.children ?? []).length ? `[${textOf(node)}]` : ''}`;
      node.children = undefined;
      return;
    }
    const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(node.attributes ?? {})) setOwn(attrs, k, v ?? '');
    const start = node.position?.start;
    directives.push({ name: node.name ?? '', attributes: attrs, line: start?.line ?? 1, column: start?.column ?? 1 });
    node.data = { hName: 'div', hProperties: { dataMxBlock: `${BLOCK_TOKEN}-${directives.length - 1}` } };
    node.children = [];
  });
  return directives;
}

/**
 * Gives every id of the prose a unique, non-empty value: a heading of only punctuation or emoji
 * slugs to nothing, and raw HTML may repeat an id. Collects the headings on the way.
 */
function settleIds(hast: unknown): { headings: Heading[]; ids: string[] } {
  const registry = new IdRegistry();
  const headings: Heading[] = [];
  const ids: string[] = [];
  visit(hast as never, 'element', (el: HastElement) => {
    const depth = /^h([1-6])$/.exec(el.tagName)?.[1];
    const raw = el.properties?.id;
    const given = Array.isArray(raw) ? raw.join(' ') : raw === undefined || raw === null ? '' : String(raw);
    if (!depth && given === '') { if (el.properties) delete el.properties.id; return; }
    // rehype-slug numbers headings that slug to nothing as "-1", "-2": those get the fallback too.
    const empty = given === '' || (depth !== undefined && slug(hastText(el)) === '');
    const id = registry.claim(empty ? 'section' : given);
    el.properties = { ...el.properties, id };
    ids.push(id);
    if (depth) headings.push({ depth: Number(depth), id, text: hastText(el) });
  });
  return { headings, ids };
}

/** Parses and sanitizes prose once per text; directives become placeholders. */
export function prepareProse(source: string): PreparedProse {
  const known = prepared.get(source);
  if (known) return known;
  const tree = processor.parse(source) as unknown as MdNode;
  const directives = collectDirectives(tree);
  const hast = processor.runSync(tree as never);
  const { headings, ids } = settleIds(hast);
  const page = { html: processor.stringify(hast as never) as string, hast, headings, ids, directives };
  if (prepared.size > 500) prepared.clear();
  prepared.set(source, page);
  return page;
}

/**
 * Puts the generated blocks into prepared prose. A prose id that a block or the layout also
 * uses (a heading "m.room.member" slugs to the event's anchor) is renumbered, so the block keeps
 * its anchor and the table of contents follows the heading.
 */
export function assembleProse(
  page: PreparedProse, blocks: readonly string[], reserved: ReadonlySet<string>,
): RenderedMarkdown {
  const registry = new IdRegistry([...reserved, ...page.ids]);
  const renames = new Map<string, string>();
  for (const id of page.ids) if (reserved.has(id)) renames.set(id, registry.claim(id));
  let html = page.html;
  if (renames.size > 0) {
    const hast = structuredClone(page.hast);
    visit(hast as never, 'element', (el: HastElement) => {
      const id = el.properties?.id;
      if (typeof id === 'string' && renames.has(id)) el.properties!.id = renames.get(id);
    });
    html = processor.stringify(hast as never) as string;
  }
  return {
    html: fillPlaceholders(html, blocks),
    headings: page.headings.map((h) => ({ ...h, id: renames.get(h.id) ?? h.id })),
  };
}

function fillPlaceholders(html: string, blocks: readonly string[]): string {
  let out = '';
  let i = 0;
  for (let at = html.indexOf(PLACEHOLDER); at !== -1; at = html.indexOf(PLACEHOLDER, i)) {
    const close = html.indexOf('"></div>', at);
    if (close === -1) break;
    out += html.slice(i, at) + (blocks[Number(html.slice(at + PLACEHOLDER.length, close))] ?? '');
    i = close + '"></div>'.length;
  }
  return out + html.slice(i);
}

/**
 * Markdown → sanitized HTML. Each leaf directive is replaced, after sanitizing, by the trusted
 * block `onDirective` generates for it. The prose itself is rendered once per text: when only
 * data changes (the dev server), only the blocks are generated again.
 */
export function renderMarkdown(source: string, onDirective?: (d: Directive) => string): RenderedMarkdown {
  const page = prepareProse(source);
  const blocks = page.directives.map((d) => (onDirective ? onDirective(d) : ''));
  return assembleProse(page, blocks, new Set(LAYOUT_IDS));
}

function hastText(node: { type?: string; value?: string; children?: unknown[] }): string {
  return node.value ?? (node.children ?? []).map((c) => hastText(c as never)).join('');
}

/** Descriptions take no directives, so their parser skips that extension. */
const descriptionProcessor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype)
  .use(rehypeSanitize, SCHEMA)
  .use(rehypeStringify) as unknown as Processor;

/** Shared schemas repeat the same descriptions on many pages: each text is rendered once. */
const descriptions = new Map<string, string>();

/** A description from data/: Markdown, sanitized like everything else; one paragraph is unwrapped when asked. */
export function renderDescription(text: unknown, inline = false): string {
  if (typeof text !== 'string' || text.trim() === '') return '';
  let html = descriptions.get(text);
  if (html === undefined) {
    html = String(descriptionProcessor.processSync(text));
    if (descriptions.size > 20000) descriptions.clear();
    descriptions.set(text, html);
  }
  const single = /^<p>((?:(?!<\/?p>)[\s\S])*)<\/p>\s*$/.exec(html.trim());
  return inline && single ? single[1]! : html;
}
