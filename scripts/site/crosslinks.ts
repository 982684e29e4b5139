import { PageMemo } from './page-memo.js';

/**
 * Links mentions to their definitions: a `<code>` naming a placed event type, an endpoint
 * (`POST /_matrix/client/v3/knock/{roomIdOrAlias}`) or an identifier format becomes a link to its
 * block, unless it already sits inside a link. Prose authors write the name; the build keeps
 * the link right wherever the block moves.
 */
export function crossLink(html: string, targets: Map<string, string>, currentUrl: string): string {
  const key = targetsKey(targets);
  if (key !== lastTargets) { lastTargets = key; linked = new PageMemo(); }
  return linked.get(currentUrl, html, (text) => linkPage(text, targets, currentUrl));
}

/** Pages linked in the last build, valid while every link target stays where it was. */
let linked = new PageMemo<string>();
let lastTargets: string | undefined;
const targetKeys = new WeakMap<Map<string, string>, string>();

function targetsKey(targets: Map<string, string>): string {
  let key = targetKeys.get(targets);
  if (key === undefined) targetKeys.set(targets, (key = JSON.stringify([...targets])));
  return key;
}

function linkPage(html: string, targets: Map<string, string>, currentUrl: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const open = html.indexOf('<a ', i);
    const end = open === -1 ? html.length : open;
    out += linkCodes(html.slice(i, end), targets, currentUrl);
    if (open === -1) break;
    const close = html.indexOf('</a>', open);
    const stop = close === -1 ? html.length : close + 4;
    out += html.slice(open, stop);
    i = stop;
  }
  return out;
}

function linkCodes(segment: string, targets: Map<string, string>, currentUrl: string): string {
  return segment.replace(/<code>([^<]{3,200})<\/code>/g, (whole, text: string) => {
    const key = text.replace(/&#x26;|&amp;/g, '&').trim();
    const href = targets.get(key);
    if (!href) return whole;
    const local = href.startsWith(`${currentUrl}#`) ? href.slice(currentUrl.length) : href;
    return `<a href="${local}">${whole}</a>`;
  });
}
