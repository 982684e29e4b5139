import { decodeEntities } from './ids.js';

/**
 * Reading the site's own generated HTML for the search index, by scanning rather than by
 * regular expressions: pages can be long, and a pattern such as `<[^>]+>` is quadratic on text
 * that opens many tags without closing them.
 */

/** The text of some HTML: tags dropped, entities decoded, whitespace collapsed. */
export function textOfHtml(html: string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    parts.push(html.slice(i, lt === -1 ? html.length : lt));
    if (lt === -1) break;
    const gt = html.indexOf('>', lt);
    i = gt === -1 ? html.length : gt + 1;
  }
  return decodeEntities(parts.join(' ')).split(/\s+/).filter((w) => w !== '').join(' ');
}

/** One part of a page for search: from one `h2`/`h3` with an id to the next. */
export interface Section {
  html: string;
  /** The heading's id, when the section starts at one. */
  id?: string;
  /** The heading's inner HTML. */
  heading?: string;
}

/** Where an `<h2 …>`/`<h3 …>` tag with an id starts at or after `from`; -1 when none. */
function nextHeading(html: string, from: number): { start: number; tagEnd: number; id: string } | undefined {
  for (let at = html.indexOf('<h', from); at !== -1; at = html.indexOf('<h', at + 2)) {
    const level = html[at + 2];
    if ((level !== '2' && level !== '3') || html[at + 3] !== ' ') continue;
    const tagEnd = html.indexOf('>', at);
    if (tagEnd === -1) return undefined;
    const idAt = html.indexOf(' id="', at);
    if (idAt === -1 || idAt > tagEnd) continue;
    const idEnd = html.indexOf('"', idAt + 5);
    return { start: at, tagEnd, id: decodeEntities(html.slice(idAt + 5, idEnd)) };
  }
  return undefined;
}

/** Splits a page at its headings with ids; the part before the first heading has no id. */
export function sectionsOf(html: string): Section[] {
  const sections: Section[] = [];
  let current: Section = { html: '' };
  let from = 0;
  let start = 0;
  for (let h = nextHeading(html, 0); h; h = nextHeading(html, from)) {
    current.html = html.slice(start, h.start);
    if (current.html !== '' || current.id) sections.push(current);
    const close = html.indexOf('</h', h.tagEnd);
    current = { html: '', id: h.id, heading: html.slice(h.tagEnd + 1, close === -1 ? html.length : close) };
    start = h.start;
    from = h.tagEnd;
  }
  current.html = html.slice(start);
  sections.push(current);
  return sections;
}

/** Drops the `#` permalinks of blocks, which are noise in search results. */
export function withoutPermalinks(html: string): string {
  const marker = '<a class="permalink"';
  let out = '';
  let i = 0;
  for (let at = html.indexOf(marker); at !== -1; at = html.indexOf(marker, i)) {
    out += html.slice(i, at);
    const end = html.indexOf('</a>', at);
    i = end === -1 ? html.length : end + 4;
  }
  return out + html.slice(i);
}
