import { PageMemo } from './page-memo.js';

export interface BrokenLink { from: string; href: string; reason: string }

/**
 * Checks every internal link and anchor of a built site: each `href` to a page of the site must
 * name a file that exists (a folder means its index.html) and, with a fragment, an element with
 * that id in it. Links to other hosts are not followed here.
 */
export function checkLinks(files: Map<string, string | Buffer>): BrokenLink[] {
  const ids = new Map<string, Set<string>>();
  const pages = [...files.keys()].filter((f) => f.endsWith('.html'));
  const parts = new Map(pages.map((page) => [page, memo.get(page, String(files.get(page)), linkParts)]));
  for (const page of pages) ids.set(page, parts.get(page)!.ids);
  const broken: BrokenLink[] = [];
  for (const page of pages) {
    for (const href of parts.get(page)!.refs) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue;
      const [pathPart, fragment] = href.split('#', 2) as [string, string | undefined];
      let target = page;
      if (pathPart !== '') {
        const base = page.includes('/') ? page.slice(0, page.lastIndexOf('/') + 1) : '';
        const joined = pathPart.startsWith('/') ? pathPart.slice(1) : normalise(base + pathPart);
        target = joined === '' || joined.endsWith('/') ? `${joined}index.html` : joined;
        if (!files.has(target) && files.has(`${target}/index.html`)) target = `${target}/index.html`;
        if (!files.has(target)) { broken.push({ from: page, href, reason: `no file ${target}` }); continue; }
      }
      const anchored = fragment !== undefined && fragment !== '' && target.endsWith('.html');
      if (anchored && !ids.get(target)?.has(decodeFragment(fragment))) {
        broken.push({ from: page, href, reason: `no element with id "${fragment}" in ${target}` });
      }
    }
  }
  return broken;
}

/** The ids a page defines and the links it makes, the work of a scan that unchanged pages skip. */
function linkParts(html: string): { ids: Set<string>; refs: string[] } {
  return {
    ids: new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => decodeEntities(m[1]!))),
    refs: [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => decodeEntities(m[1]!)),
  };
}

const memo = new PageMemo<{ ids: Set<string>; refs: string[] }>();

/** A fragment as the browser looks it up; a malformed escape is looked up as written. */
function decodeFragment(fragment: string): string {
  try { return decodeURIComponent(fragment); } catch { return fragment; }
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '..') out.pop(); else if (seg !== '.') out.push(seg);
  }
  return out.join('/');
}

function decodeEntities(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
