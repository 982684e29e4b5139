import type { Diagnostic, Place } from '../core/diagnostic.js';
import { placeAt } from '../core/source.js';
import type { Spec } from '../loader/model.js';
import { escapeHtml } from './html.js';
import { decodeEntities, idsIn } from './ids.js';
import { checkLinks, type BrokenLink } from './links.js';
import { PageMemo } from './page-memo.js';
import type { PagesLayout } from './pages.js';
import type { RenderedPage } from './site-page.js';

/** Calls `edit` with each `href` of some HTML (entities decoded); a returned string replaces it. */
function mapHrefs(html: string, edit: (href: string) => string | undefined): string {
  let out = '';
  let i = 0;
  for (let at = html.indexOf(' href="'); at !== -1; at = html.indexOf(' href="', i)) {
    const start = at + 7;
    const end = html.indexOf('"', start);
    if (end === -1) break;
    const next = edit(decodeEntities(html.slice(start, end)));
    out += html.slice(i, start) + (next === undefined ? html.slice(start, end) : escapeHtml(next));
    i = end;
  }
  return out + html.slice(i);
}

function decodeFragment(fragment: string): string {
  try { return decodeURIComponent(fragment); } catch { return fragment; }
}

/** `/x` and `/x/` and `/x/index.html` name the same page. */
function pageUrlOf(path: string): string {
  const bare = path.endsWith('/index.html') ? path.slice(0, -'index.html'.length) : path;
  return bare.endsWith('/') ? bare : `${bare}/`;
}

const pageIds = new PageMemo<Set<string>>();

/**
 * Points links at blocks where the blocks really are. Descriptions in the published data link
 * to an endpoint or event anchor on the page where the published site happened to place it
 * (`#post_matrixclientv1appserviceappserviceidping` on the application-service page); here it
 * may live on another page, so a link whose anchor is missing from its target page but names a
 * block placed elsewhere is rewritten to that block's page.
 */
export function relinkBlocks(pages: RenderedPage[], blockHome: ReadonlyMap<string, string>): void {
  const idsByUrl = new Map(pages.map((p) => [p.url, pageIds.get(p.url, p.html, (html) => new Set(idsIn(html)))]));
  for (const page of pages) {
    page.html = mapHrefs(page.html, (href) => {
      if (!href.startsWith('#') && (!href.startsWith('/') || href.startsWith('//'))) return undefined;
      const hash = href.indexOf('#');
      if (hash === -1) return undefined;
      const target = hash === 0 ? page.url : pageUrlOf(href.slice(0, hash));
      const fragment = decodeFragment(href.slice(hash + 1));
      const home = blockHome.get(fragment);
      if (!home || home === target || idsByUrl.get(target)?.has(fragment)) return undefined;
      return home === page.url ? `#${href.slice(hash + 1)}` : `${home}#${href.slice(hash + 1)}`;
    });
  }
}

/** Finds where an href was written: in the page's Markdown, else in a file of data/. */
class HrefLocator {
  private readonly inData = new Map<string, Place | undefined>();

  constructor(private readonly spec: Spec) {}

  locate(href: string, page: RenderedPage | undefined): Place | undefined {
    const fallback = page?.source && { file: page.source.rel, line: 1, column: 1 };
    return (page && this.inPage(href, page)) ?? this.inSpec(href) ?? fallback;
  }

  private inPage(href: string, page: RenderedPage): Place | undefined {
    const source = page.source;
    if (!source) return undefined;
    const lines = source.markdown.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const column = lines[i]!.indexOf(href);
      const origin = source.origins[i];
      if (column !== -1 && origin) return { file: origin.rel, line: origin.line, column: column + 1 };
    }
    return undefined;
  }

  private inSpec(href: string): Place | undefined {
    if (!this.inData.has(href)) {
      const file = this.spec.files.find((f) => f.text.includes(href));
      this.inData.set(href, file ? placeAt(file, file.text.indexOf(href)) : undefined);
    }
    return this.inData.get(href);
  }
}

export interface LinkReportOptions {
  /**
   * Where the tree's pages come from. Our `site/` must link correctly (errors); Hugo's `content/`
   * is the upstream tree as it is, whose defects are reported without stopping the build
   * (warnings); without pages, links into prose are expected to break (warnings).
   */
  layout: PagesLayout;
  /** Links fetched by scripts or served only by the dev server. */
  ignore(href: string): boolean;
}

function message(broken: BrokenLink, layout: PagesLayout): string {
  const on = `/${broken.from.replace(/index\.html$/, '')}`;
  if (layout !== 'none') return `Link to ${broken.href} on ${on} does not resolve: ${broken.reason}.`;
  return `Link to ${broken.href} on ${on} leads to prose this tree does not have (it has no site/ pages): `
    + `${broken.reason}.`;
}

/**
 * Every internal link and anchor of the built site, checked: a broken one is an error at the
 * line that wrote it, or a warning when the tree has no prose at all (the published data links
 * to prose pages that only a full site has). Repeats of one link at one place are reported once.
 */
export function reportLinks(
  files: Map<string, string | Buffer>, pages: RenderedPage[], spec: Spec, options: LinkReportOptions,
): Diagnostic[] {
  const byFile = new Map(pages.map((p) => [`${p.url.slice(1)}index.html`, p]));
  const locator = new HrefLocator(spec);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const broken of checkLinks(files)) {
    if (options.ignore(broken.href)) continue;
    const page = byFile.get(broken.from);
    const place = locator.locate(broken.href, page) ?? { file: `dist/site/${broken.from}`, line: 1, column: 1 };
    const severity = options.layout === 'site' ? 'error' : 'warn';
    const text = message(broken, options.layout);
    const diagnostic: Diagnostic = { ...place, severity, rule: 'site-link', message: text };
    const key = `${place.file}:${place.line}:${place.column}:${broken.href}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic);
  }
  return out;
}
