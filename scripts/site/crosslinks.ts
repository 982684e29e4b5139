/**
 * Links mentions to their definitions: a `<code>` naming a placed event type, an endpoint
 * (`POST /_matrix/client/v3/knock/{roomIdOrAlias}`) or an identifier format becomes a link to its
 * block, unless it already sits inside a link. Prose authors write the name; the build keeps
 * the link right wherever the block moves.
 */
export function crossLink(html: string, targets: Map<string, string>, currentUrl: string): string {
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
