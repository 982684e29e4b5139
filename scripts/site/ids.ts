/**
 * Element ids. Prose headings, endpoint and event blocks, nested tables and the layout all put
 * ids on one page, several of them made from names in the tree; a duplicate or empty id breaks
 * anchors, the table of contents and the skip link, so every id is handed out here.
 */

/** Ids the layout uses whatever its template says, plus names a page must not take from it. */
export const LAYOUT_IDS: readonly string[] = ['content', 'main', 'search', 'search-input', 'search-results', 'top'];

/** Lower case, runs of anything but letters and digits as one dash; empty input gives the fallback. */
export function slugId(text: string, fallback = 'section'): string {
  let out = '';
  let dash = false;
  for (const ch of text.toLowerCase()) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      if (dash && out !== '') out += '-';
      out += ch;
      dash = false;
    } else {
      dash = true;
    }
  }
  return out === '' ? fallback : out.slice(0, 80);
}

/** Ids given out so far; a taken id is numbered (`x-2`, `x-3`, …) rather than repeated. */
export class IdRegistry {
  private readonly taken: Set<string>;

  constructor(initial: Iterable<string> = []) {
    this.taken = new Set(initial);
  }

  has(id: string): boolean {
    return this.taken.has(id);
  }

  /** `base` when it is free, else the first free numbered form; `sep` joins the number. */
  claim(base: string, sep = '-'): string {
    const start = base === '' ? 'section' : base;
    let id = start;
    for (let i = 2; this.taken.has(id); i++) id = `${start}${sep}${i}`;
    this.taken.add(id);
    return id;
  }
}

/** The literal `id="..."` values of a template or of generated HTML (no markup inside ids). */
export function idsIn(html: string): string[] {
  const ids: string[] = [];
  for (let at = html.indexOf(' id="'); at !== -1; at = html.indexOf(' id="', at + 5)) {
    const end = html.indexOf('"', at + 5);
    if (end === -1) break;
    const id = html.slice(at + 5, end);
    if (!id.includes('{') && !id.includes('<')) ids.push(decodeEntities(id));
  }
  return ids;
}

export function decodeEntities(s: string): string {
  return s.replace(/&(?:amp|quot|#39|lt|gt|#x26|#x22);/g, (e) => ENTITY_TEXT[e] ?? e);
}

const ENTITY_TEXT: Record<string, string> = {
  '&amp;': '&', '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>', '&#x26;': '&', '&#x22;': '"',
};
