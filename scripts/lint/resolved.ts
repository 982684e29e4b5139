import type { Place } from '../core/diagnostic.js';
import type { SourceFile } from '../core/source.js';
import type { Dialect, Spec } from '../loader/model.js';
import { placeOf } from '../loader/locate.js';
import { isObject, isRef } from '../loader/pointer.js';
import { ANNOTATION_KEYWORDS, SCHEMA_ARRAYS, SCHEMA_MAPS, SCHEMA_VALUED } from '../loader/schema-keywords.js';

/**
 * Copies of parsed values with their `$ref`s replaced, each copy remembering the source node it
 * came from so a validator's path into the copy can be turned back into `file:line:col`.
 */
export class Copies {
  /** copy → source node (a `$ref` holder for merged objects). */
  readonly origin = new WeakMap<object, object>();
  private readonly memo = new Map<unknown, unknown>();

  constructor(private readonly spec: Spec) {}

  /**
   * The value with every reference resolved: `{$ref, ...siblings}` becomes the target with the
   * siblings laid over it (the Matrix convention for examples). A reference back into a value
   * being copied is left in place, so recursive schemas stay finite.
   */
  resolve(file: SourceFile, node: unknown, stack = new Set<unknown>()): unknown {
    if (node === null || typeof node !== 'object') return node;
    const memo = this.memo.get(node);
    if (memo !== undefined) return memo;
    if (stack.has(node)) return node;
    if (isRef(node)) {
      const target = this.spec.resolveRefOnce(file, node.$ref);
      if (target.error !== undefined || stack.has(target.node)) return node;
      stack.add(node);
      const base = this.resolve(target.file, target.node, stack);
      const { $ref: _ref, ...siblings } = node;
      let out = base;
      if (Object.keys(siblings).length > 0 && isObject(base)) {
        const merged: Record<string, unknown> = { ...base };
        for (const [k, v] of Object.entries(siblings)) merged[k] = this.resolve(file, v, stack);
        this.origin.set(merged, node);
        out = merged;
      }
      stack.delete(node);
      return out;
    }
    stack.add(node);
    let out: unknown;
    if (Array.isArray(node)) out = node.map((v) => this.resolve(file, v, stack));
    else {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) o[k] = this.resolve(file, v, stack);
      out = o;
    }
    stack.delete(node);
    this.origin.set(out as object, node);
    this.memo.set(node, out);
    return out;
  }

  /** The source place of a path into a copy: the deepest part that has an origin. */
  placeIn(copy: unknown, path: readonly string[]): Place | undefined {
    let node: unknown = copy;
    let best: Place | undefined = isObject(node) || Array.isArray(node) ? placeOf(this.origin.get(node as object) ?? node) : undefined;
    for (const seg of path) {
      if (node === null || typeof node !== 'object') break;
      const src = this.origin.get(node) ?? node;
      const here = placeOf(src, seg in (src as object) ? seg : undefined);
      if (here) best = here;
      node = (node as Record<string, unknown>)[seg];
    }
    return best;
  }
}

const shared = new WeakMap<Spec, Copies>();

/** One set of resolved copies per loaded spec: every command and rule resolves a value once. */
export function copiesOf(spec: Spec): Copies {
  let copies = shared.get(spec);
  if (!copies) { copies = new Copies(spec); shared.set(spec, copies); }
  return copies;
}

/**
 * A self-contained copy of a schema for a validator: every `$ref` (to another file or not)
 * points into the copy's own definitions, and annotations are dropped so that schemas which
 * validate alike share one compiled validator.
 */
export function bundleSchema(spec: Spec, copies: Copies, file: SourceFile, root: unknown, dialect: Dialect): { schema: unknown; key: string } {
  const defsKey = dialect === 'draft-04' ? 'definitions' : '$defs';
  const names = new Map<unknown, string>();
  const pending: { file: SourceFile; node: unknown; name: string }[] = [];
  const defs: Record<string, unknown> = {};

  const rewrite = (f: SourceFile, node: unknown): unknown => {
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    copies.origin.set(out, node);
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') {
        // A $ref that is not a string, or does not resolve, is reported by its own rules;
        // here it constrains nothing.
        if (typeof v !== 'string') continue;
        const target = spec.resolveRefOnce(f, v);
        if (target.error !== undefined) continue;
        if (target.node === root) { out.$ref = '#'; continue; }
        let name = names.get(target.node);
        if (!name) {
          name = `mx${names.size}`;
          names.set(target.node, name);
          pending.push({ file: target.file, node: target.node, name });
        }
        out.$ref = `#/${defsKey}/${name}`;
      } else if (ANNOTATION_KEYWORDS.has(k) || k.startsWith('x-') || k === '$id' || k === 'id' && typeof v === 'string' || k === '$schema' || k === '$anchor' || k === '$dynamicAnchor') {
        continue;
      } else if ((SCHEMA_MAPS as readonly string[]).includes(k) && isObject(v)) {
        const m: Record<string, unknown> = {};
        for (const [name, sub] of Object.entries(v)) m[name] = rewrite(f, sub);
        out[k] = m;
      } else if ((SCHEMA_ARRAYS as readonly string[]).includes(k) && Array.isArray(v)) {
        out[k] = v.map((sub) => rewrite(f, sub));
      } else if ((SCHEMA_VALUED as readonly string[]).includes(k)) {
        out[k] = rewrite(f, v);
      } else {
        out[k] = v;
      }
    }
    // Identifier formats become patterns, so any JSON Schema validator enforces them.
    const format = typeof node.format === 'string' ? spec.stringFormats.get(node.format) : undefined;
    if (format?.pattern && format.regex) {
      const check = { pattern: format.pattern, 'x-mxspec-format': format.name };
      if (typeof out.pattern === 'string') out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), check];
      else Object.assign(out, check);
    }
    return out;
  };

  const schema = rewrite(file, root);
  while (pending.length > 0) {
    const next = pending.shift()!;
    defs[next.name] = rewrite(next.file, next.node);
  }
  if (names.size > 0 && isObject(schema)) {
    schema[defsKey] = { ...(isObject(schema[defsKey]) ? schema[defsKey] : {}), ...defs };
  }
  return { schema, key: JSON.stringify(schema) };
}
