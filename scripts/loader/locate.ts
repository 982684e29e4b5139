import type { Place } from '../core/diagnostic.js';
import { placeAt, type SourceFile } from '../core/source.js';
import { nodeInfo } from './parse.js';

/**
 * The place of a node, or of one of its keys (for a mapping) or items (for a sequence).
 * Pointing at the key is what editors want: `properties: []` is reported on `properties`.
 */
export function placeOf(node: unknown, key?: string | number, fallbackFile?: SourceFile): Place | undefined {
  if (node === null || typeof node !== 'object') return fallbackFile ? placeAt(fallbackFile, 0) : undefined;
  const info = nodeInfo.get(node);
  if (!info) return fallbackFile ? placeAt(fallbackFile, 0) : undefined;
  let offset = info.start;
  if (key !== undefined) {
    if (Array.isArray(node)) offset = info.items?.[Number(key)] ?? offset;
    else offset = info.keys?.get(String(key)) ?? offset;
  }
  return placeAt(info.file, offset);
}

/** Where the value under a key begins (for scalars, whose own position is not kept). */
export function valuePlaceOf(node: object, key: string | number): Place | undefined {
  const info = nodeInfo.get(node);
  if (!info) return undefined;
  const offset = Array.isArray(node) ? info.items?.[Number(key)] : info.values?.get(String(key));
  return placeAt(info.file, offset ?? info.start);
}


/**
 * Follows a path (as a validator reports it) from a node, and gives the place of the deepest
 * part of it that exists in the source.
 */
export function placeAtPath(root: unknown, path: readonly (string | number)[]): Place | undefined {
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (node === null || typeof node !== 'object') break;
    const next: unknown = (node as Record<string | number, unknown>)[seg];
    const last = i === path.length - 1;
    if (last || next === null || typeof next !== 'object' || !nodeInfo.has(next)) {
      return placeOf(node, (node as Record<string, unknown>)[seg] === undefined ? undefined : seg);
    }
    node = next;
  }
  return placeOf(node);
}

/** Splits an RFC 6901 pointer such as a validator's instancePath. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The source text of a scalar under a key (or of the key itself), as written: `1.10` where the
 * parsed value is the number 1.1.
 */
export function rawText(node: object, key: string | number, which: 'key' | 'value'): string | undefined {
  const info = nodeInfo.get(node);
  if (!info) return undefined;
  const offset = which === 'key' ? info.keys?.get(String(key)) : Array.isArray(node) ? info.items?.[Number(key)] : info.values?.get(String(key));
  if (offset === undefined) return undefined;
  const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s:,#\]}]+(?::[^\s,#\]}]+)*)/.exec(info.file.text.slice(offset, offset + 200));
  return m?.[1];
}
