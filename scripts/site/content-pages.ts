import { dirname, join, relative, sep } from 'node:path';
import yaml from 'js-yaml';
import type { Diagnostic } from '../core/diagnostic.js';
import { fileStamp, isWithin, listTree, own, relToRoot } from '../core/tree.js';
import { MAX_PAGE_CHARS, type LineOrigin } from './includes.js';
import { API_PAGES, pageError, readPageSource, type ReadPages, type SourcePage } from './pages.js';
import {
  BLOCK_SHORTCODES, BOX_SHORTCODES, directiveAttributes, findShortcodes, INCLUDE_SHORTCODES, INLINE_SHORTCODES,
  isKnownShortcode, type Shortcode,
} from './shortcodes.js';

/**
 * The pages of a tree in the upstream Matrix spec's layout: Hugo's `content/` folder. Each Markdown
 * file is a page at the URL Hugo gives it, its shortcodes turned into our directives; files that
 * other pages pull in (client-server modules, room version fragments) are parts, not pages.
 */

/** Hugo front matter as far as the site uses it. */
interface HugoMeta {
  title?: string;
  weight?: number;
  /** Not rendered: drafts, headless pages and `_build: {render: never}`. */
  skip: boolean;
  /** Left out of the navigation (`toc_hide`). */
  hidden: boolean;
  url?: string;
  slug?: string;
}

interface ContentFile {
  abs: string;
  rel: string;
  body: string;
  bodyLine: number;
  meta: HugoMeta;
}

/** A page with no weight sorts after every weighted one, as Hugo does. */
const UNWEIGHTED = 1000;

function readMeta(rel: string, source: string | undefined, diagnostics: Diagnostic[]): HugoMeta | undefined {
  let loaded: unknown = {};
  if (source !== undefined) {
    try {
      loaded = yaml.load(source) ?? {};
    } catch (err) {
      const mark = (err as { mark?: { line?: number } }).mark;
      const reason = (err as { reason?: string }).reason ?? String(err);
      diagnostics.push(pageError(rel, (mark?.line ?? 0) + 2, `front matter is not valid YAML: ${reason}`));
      return undefined;
    }
  }
  if (loaded === null || typeof loaded !== 'object' || Array.isArray(loaded)) {
    diagnostics.push(pageError(rel, 1, 'the front matter must be a mapping (title: ..., weight: ...)'));
    return undefined;
  }
  const record = loaded as Record<string, unknown>;
  const build = own(record, '_build');
  const render = build && typeof build === 'object' ? own(build as Record<string, unknown>, 'render') : undefined;
  const title = own(record, 'title');
  const weight = own(record, 'weight');
  const url = own(record, 'url');
  const slug = own(record, 'slug');
  return {
    title: typeof title === 'string' && title.trim() !== '' ? title : undefined,
    weight: typeof weight === 'number' && Number.isFinite(weight) ? weight : undefined,
    skip: own(record, 'draft') === true || own(record, 'headless') === true || render === false || render === 'never',
    hidden: own(record, 'toc_hide') === true,
    url: typeof url === 'string' ? url : undefined,
    slug: typeof slug === 'string' ? slug : undefined,
  };
}

function readContentFile(root: string, abs: string, diagnostics: Diagnostic[]): ContentFile | undefined {
  const rel = relToRoot(root, abs);
  const parts = readPageSource(root, abs, rel, diagnostics);
  const meta = parts && readMeta(rel, parts.yaml, diagnostics);
  return parts && meta && { abs, rel, body: parts.body, bodyLine: parts.bodyLine, meta };
}

/** Files read by earlier builds (the dev server), by path: one whose stamp is unchanged is not read again. */
const readBefore = new Map<string, { stamp: string; file?: ContentFile; diagnostics: Diagnostic[] }>();

function contentFile(root: string, abs: string, diagnostics: Diagnostic[]): ContentFile | undefined {
  const stamp = fileStamp(abs);
  const known = readBefore.get(abs);
  if (stamp !== undefined && known?.stamp === stamp) {
    diagnostics.push(...known.diagnostics);
    return known.file;
  }
  const own: Diagnostic[] = [];
  const file = readContentFile(root, abs, own);
  diagnostics.push(...own);
  if (readBefore.size > 20000) readBefore.clear();
  if (stamp !== undefined) readBefore.set(abs, { stamp, file, diagnostics: own });
  return file;
}

/** A path segment that may appear in a URL as it is. */
function isUrlSegment(segment: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._~-]*$/.test(segment);
}

/**
 * The URL Hugo gives a content file: `_index.md` and `index.md` stand for their folder, others
 * for a folder of their own name, all in lower case; `url:` replaces the whole URL and `slug:`
 * the last segment. Undefined when a segment cannot be a URL segment.
 */
export function hugoUrl(local: string, meta: Pick<HugoMeta, 'url' | 'slug'> = {}): string | undefined {
  if (meta.url !== undefined) {
    const segments = meta.url.split('/').filter((s) => s !== '');
    return segments.every(isUrlSegment) ? `/${segments.map((s) => `${s}/`).join('')}` : undefined;
  }
  const segments = local.replace(/\.md$/, '').split('/');
  const last = segments.pop()!;
  if (last !== '_index' && last !== 'index') segments.push(meta.slug ?? last);
  const lower = segments.map((s) => s.toLowerCase().replaceAll(' ', '-'));
  if (!lower.every(isUrlSegment)) return undefined;
  return `/${lower.map((s) => `${s}/`).join('')}`;
}

/** A title for a page whose front matter has none: its file or folder name, in words. */
function titleFromName(url: string): string {
  const name = url.split('/').filter((s) => s !== '').pop() ?? 'Home';
  const words = name.replace(/[-_]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Home';
}

/** A shortcode problem, at its line and column. */
interface Problem { rel: string; line: number; column: number; message: string }

interface Expansion {
  root: string;
  contentDir: string;
  files: Map<string, ContentFile>;
  budget: { chars: number; reported: boolean };
  problems: Problem[];
}

interface Output { lines: string[]; origins: LineOrigin[] }

/** The file a `cs-module`/`rver-fragment` call names, beside the file that calls it; a string says why not. */
function includedFile(x: Expansion, from: ContentFile, call: Shortcode): ContentFile | string {
  const name = own(call.params, 'name') ?? own(call.params, '0') ?? '';
  if (!isUrlSegment(name)) return `${call.name} needs name="<file name without .md>", not ${JSON.stringify(name)}`;
  const folder = INCLUDE_SHORTCODES[call.name]!;
  const abs = join(dirname(from.abs), folder, `${name}.md`);
  const file = x.files.get(abs);
  if (file) return file;
  if (!isWithin(x.contentDir, abs)) return `${call.name} "${name}" would leave content/`;
  return `${call.name} "${name}" names ${relToRoot(x.root, abs)}, which does not exist or cannot be read`;
}

/** Whether nothing but blanks surrounds a call on its line. */
function standsAlone(line: string, call: Shortcode): boolean {
  return line.slice(0, call.start).trim() === '' && line.slice(call.end).trim() === '';
}

interface FileState { file: ContentFile; stack: string[]; versioning: boolean; boxes: { name: string; line: number }[] }

/** One call, rewritten: the text that replaces it, or lines to splice in (an included file). */
function rewriteCall(
  x: Expansion, state: FileState, line: string, lineNo: number, call: Shortcode, out: Output,
): string | 'spliced' {
  const at = { rel: state.file.rel, line: lineNo, column: call.start + 1 };
  const fail = (message: string) => { x.problems.push({ ...at, message }); return ''; };
  if (call.literal !== undefined) return call.literal;
  if (!isKnownShortcode(call.name)) {
    return fail(`unknown shortcode "${call.name}": mxspec renders http-api, event, event-group, event-fields, `
      + 'definition, msgtypes, added-in, changed-in, boxes/note, boxes/warning, boxes/rationale, cs-module, '
      + 'rver-fragment, sas-emojis, diagram and proposal-tables');
  }
  const indent = line.slice(0, call.start);
  const box = own(BOX_SHORTCODES, call.name);
  const alone = standsAlone(line, call);
  if (!alone && !INLINE_SHORTCODES.has(call.name)) return fail(`write {{% ${call.name} %}} on a line of its own`);
  if (box !== undefined) return rewriteBox(state, call, box, indent, fail, lineNo);
  if (call.closing) return fail(`{{% /${call.name} %}} closes nothing: ${call.name} takes no closing tag`);
  const attributes = directiveAttributes(call.params);
  if (attributes === undefined) return fail(`a parameter of ${call.name} holds both kinds of quote`);
  if (INLINE_SHORTCODES.has(call.name)) {
    // A fragment's "new in this version" notes are shown only on the version that introduced it.
    if (call.name === 'added-in' && own(call.params, 'this') === 'true' && !state.versioning) return '';
    return `:${call.name}${attributes}`;
  }
  if (BLOCK_SHORTCODES.has(call.name)) return `${indent}::${call.name}${attributes}`;
  const target = includedFile(x, state.file, call);
  if (typeof target === 'string') return fail(target);
  if (state.stack.includes(target.abs)) return fail(`${call.name} of ${target.rel} loops back on itself`);
  x.budget.chars -= target.body.length + 64;
  if (x.budget.chars < 0) {
    if (x.budget.reported) return '';
    x.budget.reported = true;
    return fail(`${call.name} of ${target.rel} makes the page larger than ${MAX_PAGE_CHARS / 1048576} MiB`);
  }
  const versioning = call.name === 'cs-module' ? state.versioning : own(call.params, 'withVersioning') === 'true';
  expandFile(x, target, [...state.stack, target.abs], versioning, out);
  return 'spliced';
}

function rewriteBox(
  state: FileState, call: Shortcode, box: string, indent: string, fail: (m: string) => string, lineNo: number,
): string {
  if (!call.closing) {
    state.boxes.push({ name: call.name, line: lineNo });
    return `${indent}:::${box}`;
  }
  const open = state.boxes.pop();
  if (!open) return fail(`{{% /${call.name} %}} closes a box that was never opened`);
  if (open.name !== call.name) return fail(`{{% /${call.name} %}} closes ${open.name}, opened on line ${open.line}`);
  return `${indent}:::`;
}

/** Appends a file's lines to `out`, its shortcodes rewritten and its included files spliced in. */
function expandFile(x: Expansion, file: ContentFile, stack: string[], versioning: boolean, out: Output): void {
  const state: FileState = { file, stack, versioning, boxes: [] };
  file.body.split('\n').forEach((line, i) => {
    const lineNo = file.bodyLine + i;
    if (!line.includes('{{')) { out.lines.push(line); out.origins.push({ rel: file.rel, line: lineNo }); return; }
    const calls = findShortcodes(line);
    if (typeof calls === 'string') {
      x.problems.push({ rel: file.rel, line: lineNo, column: 1, message: calls });
      out.lines.push(line);
      out.origins.push({ rel: file.rel, line: lineNo });
      return;
    }
    let text = '';
    let from = 0;
    for (const call of calls) {
      const replaced = rewriteCall(x, state, line, lineNo, call, out);
      if (replaced === 'spliced') return;
      text += line.slice(from, call.start) + replaced;
      from = call.end;
    }
    out.lines.push(text + line.slice(from));
    out.origins.push({ rel: file.rel, line: lineNo });
  });
  for (const open of state.boxes) {
    x.problems.push({ rel: file.rel, line: open.line, column: 1, message: `${open.name} is never closed` });
  }
}

function listContent(root: string, contentDir: string, diagnostics: Diagnostic[]): Map<string, ContentFile> {
  const listed = listTree(root, contentDir, {
    enter: (name) => !name.startsWith('.'),
    accept: (name) => name.endsWith('.md'),
  });
  for (const p of listed.problems) diagnostics.push(pageError(relToRoot(root, p.abs), 1, p.message));
  const files = new Map<string, ContentFile>();
  for (const abs of listed.files) {
    const file = contentFile(root, abs, diagnostics);
    if (file) files.set(abs, file);
  }
  return files;
}

/** Files that another file pulls in with cs-module or rver-fragment: parts of pages, not pages. */
function includedParts(files: Map<string, ContentFile>): Set<string> {
  const parts = new Set<string>();
  const x: Expansion = { root: '', contentDir: '', files, budget: { chars: 0, reported: true }, problems: [] };
  for (const file of files.values()) {
    for (const line of file.body.split('\n')) {
      if (!line.includes('cs-module') && !line.includes('rver-fragment')) continue;
      const calls = findShortcodes(line);
      if (typeof calls === 'string') continue;
      for (const call of calls) {
        if (!Object.hasOwn(INCLUDE_SHORTCODES, call.name)) continue;
        const target = includedFile(x, file, call);
        if (typeof target !== 'string') parts.add(target.abs);
      }
    }
  }
  return parts;
}

function shortcodeError(p: Problem): Diagnostic {
  return { file: p.rel, line: p.line, column: p.column, severity: 'error', rule: 'site-directive', message: p.message };
}

/**
 * Reads Hugo's `content/`: every Markdown file not drafted, headless or pulled into another
 * page is a page at its Hugo URL, titled and ordered by its front matter, with its shortcodes
 * rewritten as directives. Every read goes through the tree's trust boundary.
 */
export function readContentPages(root: string): ReadPages {
  const contentDir = join(root, 'content');
  const diagnostics: Diagnostic[] = [];
  const files = listContent(root, contentDir, diagnostics);
  const parts = includedParts(files);
  const pages: SourcePage[] = [];
  const byUrl = new Map<string, string>();
  for (const file of files.values()) {
    if (parts.has(file.abs) || file.meta.skip) continue;
    const local = relative(contentDir, file.abs).split(sep).join('/');
    const url = hugoUrl(local, file.meta);
    if (url === undefined) {
      diagnostics.push(pageError(file.rel, 1, 'this page\'s path cannot be a URL: use letters, digits, "-", "_", "."'));
      continue;
    }
    const first = byUrl.get(url);
    if (first) {
      diagnostics.push(pageError(file.rel, 1, `${first} is already the page ${url}; two files cannot share one URL`));
      continue;
    }
    byUrl.set(url, file.rel);
    const x: Expansion = {
      root, contentDir, files, budget: { chars: MAX_PAGE_CHARS - file.body.length, reported: false }, problems: [],
    };
    const out: Output = { lines: [], origins: [] };
    expandFile(x, file, [file.abs], true, out);
    diagnostics.push(...x.problems.map(shortcodeError));
    const name = url.split('/').filter((s) => s !== '').pop() ?? '';
    pages.push({
      rel: file.rel, url, title: file.meta.title ?? titleFromName(url), weight: file.meta.weight ?? UNWEIGHTED,
      api: own(API_PAGES, name), markdown: out.lines.join('\n'), origins: out.origins, bodyLine: file.bodyLine,
      hidden: file.meta.hidden,
    });
  }
  return { pages, diagnostics, hasSite: pages.length > 0, layout: 'hugo' };
}
