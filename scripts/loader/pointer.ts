/** RFC 6901 JSON Pointer helpers. */
export function parsePointer(fragment: string): string[] | undefined {
  let frag = fragment;
  try { frag = decodeURIComponent(fragment); } catch { /* keep the raw text */ }
  if (frag === '' || frag === '/') return [];
  if (!frag.startsWith('/')) return undefined;
  return frag.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}


export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An object whose `$ref` is a string: a reference, whatever else it carries. */
export function isRef(v: unknown): v is Record<string, unknown> & { $ref: string } {
  return isObject(v) && typeof v.$ref === 'string';
}
