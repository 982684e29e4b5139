/**
 * Results computed from a page's text, kept from one build to the next: the dev server rebuilds
 * every page after each edit, but usually only one page's text changed. A page whose text is
 * unchanged (under `key`, its path) gets the value computed before. Each memo keeps one entry per
 * key, so it holds at most one site's worth of pages.
 */
export class PageMemo<T> {
  private readonly byKey = new Map<string, { text: string; value: T }>();

  get(key: string, text: string, make: (text: string) => T): T {
    const known = this.byKey.get(key);
    if (known && known.text === text) return known.value;
    const value = make(text);
    this.byKey.set(key, { text, value });
    return value;
  }
}
