import { readFileSync } from 'node:fs';

export interface OutlineHeading { page: string; level: number; text: string }

/** Headings of the v1.2 pages as outline-v1.2.md lists them, for the pages whose path starts with `prefix`. */
export function outlineHeadings(file: string, prefix: string): OutlineHeading[] {
  const out: OutlineHeading[] = [];
  let page = '';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const section = /^## (\S+\.md)\s*$/.exec(line);
    if (section) { page = section[1]!; continue; }
    const heading = /^(#{2,6}) (.*)$/.exec(line.trim());
    if (heading && heading[2]!.trim() && page.startsWith(prefix)) out.push({ page, level: heading[1]!.length, text: heading[2]!.trim() });
  }
  return out;
}

/** The text of some HTML without its tags, in one scan (a tag-like pattern would be quadratic on `<<<<`). */
function stripTags(html: string): string {
  let out = '';
  let at = 0;
  for (let open = html.indexOf('<'); open !== -1; open = html.indexOf('<', at)) {
    const close = html.indexOf('>', open + 1);
    if (close === -1) break;
    out += html.slice(at, open);
    at = close + 1;
  }
  return out + html.slice(at);
}

/** Heading text compared loosely: case, backticks and punctuation do not matter. */
export function normaliseHeading(text: string): string {
  return stripTags(text.toLowerCase()).replace(/&[a-z#0-9]+;/g, ' ').replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * Headings of a built page, each with whether prose follows it: some text in a paragraph,
 * list, table or code block before the next heading.
 */
export function pageHeadings(html: string): { text: string; prose: boolean }[] {
  const parts = html.split(/(?=<h[2-6][\s>])/);
  const out: { text: string; prose: boolean }[] = [];
  for (const part of parts) {
    const m = /^<h[2-6][^>]*>([\s\S]*?)<\/h[2-6]>([\s\S]*)$/.exec(part);
    if (!m) continue;
    const after = m[2]!;
    out.push({ text: normaliseHeading(m[1]!), prose: /<(p|ul|ol|table|pre|section)[\s>]/.test(after) && stripTags(after).trim().length > 20 });
  }
  return out;
}
