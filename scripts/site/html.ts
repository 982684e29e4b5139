const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** True for a character a browser strips or ignores inside a URL: controls, spaces, backslashes. */
function isUrlTrick(code: number): boolean {
  return code <= 0x20 || code === 0x7f || code === 0x5c || (code >= 0x80 && code <= 0x9f)
    || code === 0x2028 || code === 0x2029 || code === 0xfeff || code === 0xa0;
}

/**
 * A link from the tree that may become an `href`: a path of the site (`/appendices/#x`), a
 * fragment (`#x`), or an http(s) URL; anything else (`javascript:`, `data:`, `//other.host`,
 * `java\tscript:`) is refused. Browsers drop tabs and newlines inside URLs, so any control
 * character or space refuses the link rather than being trusted to be harmless.
 */
export function safeHref(url: string): string | undefined {
  if (url === '' || url.length > 2000) return undefined;
  for (let i = 0; i < url.length; i++) if (isUrlTrick(url.charCodeAt(i))) return undefined;
  if (url.startsWith('#')) return url;
  if (url.startsWith('/')) return url.startsWith('//') ? undefined : url;
  const lower = url.slice(0, 8).toLowerCase();
  if (!lower.startsWith('http://') && !lower.startsWith('https://')) return undefined;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** A name that may become part of a URL and a title: `v1.3`, `1.2.0-rc.1+build_7`. */
export function isSafeVersionName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9.+_-]*$/.test(name) && name.length <= 100;
}
