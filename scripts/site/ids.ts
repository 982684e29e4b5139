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
  private readonly next = new Map<string, number>();

  constructor(initial: Iterable<string> = []) {
    this.taken = new Set(initial);
  }

  has(id: string): boolean {
    return this.taken.has(id);
  }

  /** `base` when it is free, else the first free numbered form; `sep` joins the number. */
  claim(base: string, sep = '-'): string {
    return this.numbered(base === '' ? 'section' : base, sep, 2);
  }

  /**
   * `base` when it is free, else `base-1`, `base-2`, …: Hugo numbers a repeated heading id from
   * one, and the published site's anchors for a route defined twice follow it.
   */
  claimFromOne(base: string): string {
    return this.numbered(base === '' ? 'section' : base, '-', 1);
  }

  /** The search for a free number resumes where the last one for this base stopped, so repeats cost linear time. */
  private numbered(base: string, sep: string, first: number): string {
    let id = base;
    if (this.taken.has(id)) {
      const key = `${sep}\u0000${base}`;
      let i = Math.max(first, this.next.get(key) ?? first);
      for (id = `${base}${sep}${i}`; this.taken.has(id); i++) id = `${base}${sep}${i + 1}`;
      this.next.set(key, i + 1);
    }
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

function isIdLetter(ch: string): boolean {
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '_';
  }
  return /^[\p{L}\p{Nd}]$/u.test(ch);
}

/**
 * Hugo's `anchorize`, as the published spec's site computes anchors (goldmark, GitHub style):
 * the trimmed text in lower case, letters, digits and `_` kept, each space or `-` a `-`, the
 * rest dropped. Runs of spaces are not merged, so every published anchor is reproduced exactly.
 */
export function anchorize(text: string): string {
  let out = '';
  for (const ch of text.trim()) {
    if (ch === ' ' || ch === '-') out += '-';
    else if (isIdLetter(ch)) out += ch.toLowerCase();
  }
  return out;
}

/** The anchor of an endpoint, as published: `post` + anchorize(full path) → `post_matrixclientv3knock…`. */
export function endpointAnchor(method: string, fullPath: string): string {
  return method.toLowerCase() + anchorize(fullPath);
}

/**
 * The anchor of an event, as published: anchorize(type) (`m.room.join_rules` → `mroomjoin_rules`).
 * A message type's schema (`m.room.message$m.text`) is published under its msgtype (`mtext`).
 */
export function eventAnchor(type: string): string {
  const dollar = type.indexOf('$');
  return anchorize(dollar === -1 ? type : type.slice(dollar + 1));
}

/**
 * Heading ids as Hugo gives them: anchorize(text), `heading` when that is empty, and a repeat
 * numbered `-1`, `-2`, … in document order. Ids written by hand (`{#id}`) are taken as they are
 * and reserve their value. One instance per page.
 */
export class HeadingIds {
  private readonly taken = new Set<string>();
  private readonly counters = new Map<string, number>();

  /** Marks ids used elsewhere on the page (hand-written ids): a later heading does not take them. */
  reserve(id: string): void {
    this.taken.add(id);
  }

  /** The id for a heading with this text. */
  next(text: string): string {
    const base = anchorize(text) || 'heading';
    let id = base;
    if (this.taken.has(id)) {
      // Resuming at the last number given for this base keeps a page of repeated headings linear.
      let i = this.counters.get(base) ?? 1;
      for (id = `${base}-${i}`; this.taken.has(id); i++) id = `${base}-${i + 1}`;
      this.counters.set(base, i + 1);
    }
    this.taken.add(id);
    return id;
  }
}

/**
 * A heading's hand-written id: `## Title {#custom-id}` gives `Title` and `custom-id`. Scanned, not
 * matched with a regex, so a long heading costs linear time.
 */
export function customHeadingId(text: string): { text: string; id?: string } {
  const trimmed = text.trimEnd();
  if (!trimmed.endsWith('}')) return { text };
  const open = trimmed.lastIndexOf('{#');
  if (open === -1) return { text };
  const id = trimmed.slice(open + 2, -1);
  if (id === '' || ![...id].every((ch) => isIdLetter(ch) || ch === '-' || ch === ':' || ch === '.')) return { text };
  return { text: trimmed.slice(0, open).trimEnd(), id };
}
