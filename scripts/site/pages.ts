import { lstatSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import yaml from 'js-yaml';
import type { Diagnostic } from '../core/diagnostic.js';
import { listTree, own, readTreeText, relToRoot, TreeAccessError } from '../core/tree.js';
import { readContentPages } from './content-pages.js';
import { expandIncludes, MAX_PAGE_CHARS, type LineOrigin } from './includes.js';

export type { LineOrigin } from './includes.js';

export interface SourcePage {
  /** Path relative to the spec root, for diagnostics. */
  rel: string;
  url: string;
  title: string;
  weight: number;
  /** The API whose operations this page places and completes. */
  api?: string;
  markdown: string;
  /** Line of the body's first line in the file (front matter shifts it). */
  bodyLine: number;
  /** For each line of `markdown`, the file and line it came from (includes are expanded). */
  origins: LineOrigin[];
  /** Left out of the navigation (Hugo's `toc_hide`). */
  hidden?: boolean;
}

/** Which API a page documents, by its file name; `api:` in the front matter overrides. */
export const API_PAGES: Record<string, string> = {
  'client-server-api': 'client-server',
  'server-server-api': 'server-server',
  'application-service-api': 'application-service',
  'identity-service-api': 'identity',
  'push-gateway-api': 'push-gateway',
};

/** A name that may become a URL segment: letters, digits, `-`, `_`, `.`, not starting with a dot. */
function isSafeSegment(name: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name);
}

/** The pages and the errors met reading them: one broken page never hides another. */
export type PagesLayout = 'site' | 'hugo' | 'none';

export interface ReadPages {
  pages: SourcePage[];
  diagnostics: Diagnostic[];
  /** Whether the tree has prose pages at all (a `site/` of assets only has none). */
  hasSite: boolean;
  /** Where the pages come from: our `site/`, Hugo's `content/` (the upstream layout), or nowhere. */
  layout: PagesLayout;
}

export function pageError(file: string, line: number, message: string): Diagnostic {
  return { file, line, column: 1, severity: 'error', rule: 'site-page', message };
}

/** Front matter between `---` lines at the very start, found by scanning (no regex over the file). */
export function splitFrontMatter(text: string): { yaml?: string; body: string; bodyLine: number; unclosed?: boolean } {
  const open = text.startsWith('---\n') ? 4 : text.startsWith('---\r\n') ? 5 : 0;
  if (open === 0) return { body: text, bodyLine: 1 };
  for (let at = text.indexOf('\n---', open - 1); at !== -1; at = text.indexOf('\n---', at + 1)) {
    const end = lineEnd(text, at + 4);
    if (end === -1) continue;
    const inner = text.slice(open, at).replace(/\r$/, '');
    return { yaml: inner, body: text.slice(end), bodyLine: countLines(text, end) };
  }
  return { body: text, bodyLine: 1, unclosed: true };
}

/** Where the line break at `at` ends (the text's end counts as one); -1 when `at` is no line end. */
function lineEnd(text: string, at: number): number {
  if (at === text.length) return at;
  if (text[at] === '\n') return at + 1;
  return text.startsWith('\r\n', at) ? at + 2 : -1;
}

/** The 1-based line at a character offset. */
export function countLines(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

type Meta = { title: string; weight: number; api?: string };

/** The front matter's fields, or the error that stops the page. */
function parseMeta(rel: string, source: string | undefined): Meta | Diagnostic {
  let meta: unknown = {};
  if (source !== undefined) {
    try {
      meta = yaml.load(source) ?? {};
    } catch (err) {
      const mark = (err as { mark?: { line?: number }; reason?: string }).mark;
      // js-yaml may place an error at the end of its input, one line past the front matter's last.
      const last = source.split('\n').length + 1;
      const reason = (err as { reason?: string }).reason ?? String(err);
      return pageError(rel, Math.min((mark?.line ?? 0) + 2, last), `front matter is not valid YAML: ${reason}`);
    }
  }
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    return pageError(rel, 1, 'the front matter must be a mapping (title: ..., weight: ...)');
  }
  const record = meta as Record<string, unknown>;
  const title = own(record, 'title');
  if (typeof title !== 'string' || title.trim() === '') {
    return pageError(rel, 1, 'the page has no title: start it with front matter holding "title: ..."');
  }
  const weight = own(record, 'weight');
  if (weight !== undefined && (typeof weight !== 'number' || !Number.isFinite(weight))) {
    return pageError(rel, 1, `weight must be a number, not ${JSON.stringify(weight)}`);
  }
  const api = own(record, 'api');
  if (api !== undefined && typeof api !== 'string') {
    return pageError(rel, 1, 'api must be the name of an API folder under data/api/');
  }
  return { title, weight: typeof weight === 'number' ? weight : 50, api };
}

/** `rooms/v1` → `/rooms/v1/`, `index` → `/`. */
function urlOf(local: string): string {
  return local === 'index' ? '/' : `/${local.replace(/\/index$/, '')}/`;
}

/**
 * A page file's front matter and body, read through the trust boundary; undefined (with the
 * reason in `diagnostics`) when it cannot be read, is too large or its front matter is unclosed.
 */
export function readPageSource(
  root: string, abs: string, rel: string, diagnostics: Diagnostic[],
): { yaml?: string; body: string; bodyLine: number } | undefined {
  let text: string;
  try {
    const read = readTreeText(root, abs);
    if (read.badUtf8At !== undefined) {
      diagnostics.push(pageError(rel, countLines(read.text, read.badUtf8At), 'the page is not valid UTF-8'));
    }
    text = read.text;
  } catch (err) {
    if (!(err instanceof TreeAccessError)) throw err;
    diagnostics.push(pageError(rel, 1, err.message));
    return undefined;
  }
  if (text.length > MAX_PAGE_CHARS) {
    const message = `the page is larger than ${MAX_PAGE_CHARS / 1048576} MiB; split it into pages`;
    diagnostics.push(pageError(rel, 1, message));
    return undefined;
  }
  const parts = splitFrontMatter(text);
  if (parts.unclosed) {
    diagnostics.push(pageError(rel, 1, 'the front matter opened by "---" is never closed'));
    return undefined;
  }
  return parts;
}

/** Reads one page: its front matter, its URL, its includes expanded; problems go to `diagnostics`. */
function readPage(root: string, dir: string, abs: string, diagnostics: Diagnostic[]): SourcePage | undefined {
  const rel = relToRoot(root, abs);
  const local = relative(dir, abs).split(sep).join('/').replace(/\.md$/, '');
  if (!local.split('/').every(isSafeSegment)) {
    const rule = 'page file and folder names become URLs: use only letters, digits, "-", "_" and "." (not first)';
    diagnostics.push(pageError(rel, 1, rule));
    return undefined;
  }
  const parts = readPageSource(root, abs, rel, diagnostics);
  if (!parts) return undefined;
  const meta = parseMeta(rel, parts.yaml);
  if ('rule' in meta) { diagnostics.push(meta); return undefined; }
  const expanded = expandIncludes(root, rel, parts.body, parts.bodyLine);
  for (const p of expanded.problems) diagnostics.push(pageError(p.rel, p.line, p.message));
  const name = local.split('/').pop()!;
  return {
    rel, url: urlOf(local), markdown: expanded.markdown, origins: expanded.origins, bodyLine: parts.bodyLine,
    title: meta.title, weight: meta.weight, api: meta.api ?? own(API_PAGES, name),
  };
}

function exists(abs: string): boolean {
  try { lstatSync(abs); return true; } catch { return false; }
}

/**
 * Reads the prose pages of `site/`: front matter (title, weight, api) and Markdown body. Every
 * read goes through the tree's trust boundary; a page that cannot be read, has no title or
 * includes something it may not is reported, and the other pages are still read.
 */
export function readPages(root: string): ReadPages {
  const dir = join(root, 'site');
  if (!exists(dir)) return exists(join(root, 'content')) ? readContentPages(root)
    : { pages: [], diagnostics: [], hasSite: false, layout: 'none' };
  // `assets/` is copied as it is; `_name` files and folders are partials that pages include.
  const listed = listTree(root, dir, {
    enter: (name) => name !== 'assets' && !name.startsWith('_') && !name.startsWith('.'),
    accept: (name) => name.endsWith('.md'),
  });
  const diagnostics = listed.problems.map((p) => pageError(relToRoot(root, p.abs), 1, p.message));
  const pages: SourcePage[] = [];
  const byUrl = new Map<string, string>();
  for (const abs of listed.files) {
    const page = readPage(root, dir, abs, diagnostics);
    if (!page) continue;
    const first = byUrl.get(page.url);
    if (first) {
      const message = `${first} is already the page ${page.url}; two files cannot share one URL`;
      diagnostics.push(pageError(page.rel, 1, message));
      continue;
    }
    byUrl.set(page.url, page.rel);
    pages.push(page);
  }
  return { pages, diagnostics, hasSite: listed.files.length > 0, layout: 'site' };
}

/** A URL segment for an API folder name, whatever characters the folder uses. */
export function apiSlug(api: string): string {
  let out = '';
  for (const ch of api) out += /^[A-Za-z0-9_-]$/.test(ch) ? ch : '-';
  return out.replace(/^-+/, '') || 'api';
}

/** The page of an API: the conventional name for Matrix's five, else `/<slug>-api/`. */
export function apiPageUrl(api: string, slug = apiSlug(api)): string {
  const name = Object.entries(API_PAGES).find(([, a]) => a === api)?.[0] ?? `${slug}-api`;
  return `/${name}/`;
}
