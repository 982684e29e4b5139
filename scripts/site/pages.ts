import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import yaml from 'js-yaml';

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
    if (e.name === 'assets') continue;
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
    return {
      rel, url, markdown, bodyLine, title: meta.title,
      weight: typeof meta.weight === 'number' ? meta.weight : 50,
      api: typeof meta.api === 'string' ? meta.api : API_PAGES[name],
    };
  });
}

export function apiPageUrl(api: string): string {
  const name = Object.entries(API_PAGES).find(([, a]) => a === api)?.[0] ?? `${api}-api`;
  return `/${name}/`;
}
