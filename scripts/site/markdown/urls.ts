/** Characters a browser strips or reinterprets inside a URL, so a link holding one is not trusted. */
function isUrlTrick(code: number): boolean {
  return code <= 0x20 || code === 0x7f || code === 0x5c || (code >= 0x80 && code <= 0x9f)
    || code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0xa0;
}

const SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * Whether a Markdown link or image URL may reach an `href` or `src`: web and mail URLs, site paths
 * (`/x`), fragments and relative paths (`appendices#room-ids`, `../x/`). A scheme is whatever
 * precedes the first `:` that comes before any `/`, `?` or `#`, so `java%09script:` and `data:`
 * are refused along with `javascript:`; `//host` leaves the site and is refused too.
 */
export function isSafeLinkUrl(url: string): boolean {
  if (url.length > 4000) return false;
  for (let i = 0; i < url.length; i++) if (isUrlTrick(url.charCodeAt(i))) return false;
  if (url.startsWith('//')) return false;
  const colon = url.indexOf(':');
  if (colon === -1) return true;
  for (let i = 0; i < colon; i++) {
    const ch = url[i];
    if (ch === '/' || ch === '?' || ch === '#') return true;
  }
  return SCHEMES.has(url.slice(0, colon).toLowerCase());
}
