import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import yaml from 'js-yaml';

/** Where a line of a page's expanded Markdown was written. */
export interface LineOrigin { rel: string; line: number }

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
}

const INCLUDE = /^::include\{file=([^}\s]+)\}\s*$/;

/**
 * Replaces each `::include{file=...}` line (a path under site/) with that file's text, so one
 * long page can be written as several files, each line remembering where it came from.
 */
function expandIncludes(root: string, rel: string, text: string, firstLine: number, stack: string[]): { markdown: string; origins: LineOrigin[] } {
  const lines: string[] = [];
  const origins: LineOrigin[] = [];
  text.split('\n').forEach((line, i) => {
    const m = INCLUDE.exec(line);
    if (!m) { lines.push(line); origins.push({ rel, line: firstLine + i }); return; }
    const target = `site/${m[1]}`;
    const abs = join(root, target);
    if (!existsSync(abs)) throw new PageError(rel, firstLine + i, `::include names ${target}, which does not exist`);
    if (stack.includes(target)) throw new PageError(rel, firstLine + i, `::include of ${target} loops back on itself`);
    const inner = expandIncludes(root, target, readFileSync(abs, 'utf8'), 1, [...stack, target]);
    lines.push(...inner.markdown.split('\n'));
    origins.push(...inner.origins);
  });
  return { markdown: lines.join('\n'), origins };
}

/** Which API a page documents, by its file name; `api:` in the front matter overrides. */
const API_PAGES: Record<string, string> = {
  'client-server-api': 'client-server',
  'server-server-api': 'server-server',
  'application-service-api': 'application-service',
  'identity-service-api': 'identity',
  'push-gateway-api': 'push-gateway',
};

function listMarkdown(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    // `assets/` is copied as it is; `_name` files and folders are partials that pages include.
    if (e.name === 'assets' || e.name.startsWith('_')) continue;
    const abs = join(dir, e.name);
    if (e.isDirectory()) out.push(...listMarkdown(abs));
    else if (e.name.endsWith('.md')) out.push(abs);
  }
  return out;
}

export class PageError extends Error {
  constructor(readonly rel: string, readonly line: number, message: string) { super(message); }
}

/** Reads the prose pages of `site/`: front matter (title, weight, api) and Markdown body. */
export function readPages(root: string): SourcePage[] {
  const dir = join(root, 'site');
  if (!existsSync(dir)) return [];
  return listMarkdown(dir).map((abs) => {
    const rel = relative(root, abs).split(sep).join('/');
    const text = readFileSync(abs, 'utf8');
    let meta: Record<string, unknown> = {};
    let markdown = text;
    let bodyLine = 1;
    const fm = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
    if (fm) {
      try {
        const parsed = yaml.load(fm[1]!);
        if (parsed !== null && typeof parsed === 'object') meta = parsed as Record<string, unknown>;
      } catch (err) {
        throw new PageError(rel, 2, `front matter is not valid YAML: ${(err as { reason?: string }).reason ?? String(err)}`);
      }
      markdown = text.slice(fm[0].length);
      bodyLine = fm[0].split('\n').length;
    }
    const local = relative(dir, abs).split(sep).join('/').replace(/\.md$/, '');
    const url = local === 'index' ? '/' : `/${local.replace(/\/index$/, '')}/`;
    const name = local.split('/').pop()!;
    if (typeof meta.title !== 'string') throw new PageError(rel, 1, 'the page has no title: start it with front matter holding "title: ..."');
    const expanded = expandIncludes(root, rel, markdown, bodyLine, [rel]);
    return {
      rel, url, markdown: expanded.markdown, origins: expanded.origins, bodyLine, title: meta.title,
      weight: typeof meta.weight === 'number' ? meta.weight : 50,
      api: typeof meta.api === 'string' ? meta.api : API_PAGES[name],
    };
  });
}

export function apiPageUrl(api: string): string {
  const name = Object.entries(API_PAGES).find(([, a]) => a === api)?.[0] ?? `${api}-api`;
  return `/${name}/`;
}
