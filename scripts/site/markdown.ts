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
interface Prepared { html: string; headings: Heading[]; directives: Directive[] }
const prepared = new Map<string, Prepared>();

function prepare(source: string): Prepared {
  const tree = processor.parse(source) as unknown as MdNode;
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
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(node.attributes ?? {})) attrs[k] = v ?? '';
    directives.push({ name: node.name ?? '', attributes: attrs, line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 });
    node.data = { hName: 'div', hProperties: { dataMxBlock: String(directives.length - 1) } };
    node.children = [];
  });
  const hast = processor.runSync(tree as never);
  const headings: Heading[] = [];
  visit(hast as never, 'element', (el: { tagName: string; properties?: { id?: string }; children?: unknown[] }) => {
    const depth = /^h([1-6])$/.exec(el.tagName)?.[1];
    if (depth && el.properties?.id) headings.push({ depth: Number(depth), id: String(el.properties.id), text: hastText(el) });
  });
  return { html: processor.stringify(hast as never) as string, headings, directives };
}

/**
 * Markdown → sanitized HTML. Each leaf directive is replaced, after sanitizing, by the trusted
 * block `onDirective` generates for it. The prose itself is rendered once per text: when only
 * data changes (the dev server), only the blocks are generated again.
 */
export function renderMarkdown(source: string, onDirective?: (d: Directive) => string): RenderedMarkdown {
  let page = prepared.get(source);
  if (!page) {
    page = prepare(source);
    if (prepared.size > 500) prepared.clear();
    prepared.set(source, page);
  }
  const blocks = page.directives.map((d) => (onDirective ? onDirective(d) : ''));
  const html = page.html.replace(/<div data-mx-block="(\d+)"><\/div>/g, (_, i: string) => blocks[Number(i)] ?? '');
  return { html, headings: page.headings.map((h) => ({ ...h })) };
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
