import { compilePattern, type LinearPattern } from '../../../core/pattern.js';
import { own, setOwn } from '../../../core/tree.js';
import type { Dialect } from '../../../loader/model.js';
import { isObject } from '../../../loader/pointer.js';
import { SCHEMA_ARRAYS, SCHEMA_MAPS, SCHEMA_VALUED } from '../../../loader/schema-keywords.js';

type Obj = Record<string, unknown>;

/** Deeper merges or schemas are left as they are: no real schema comes near, a hostile one may. */
const MAX_MERGE_DEPTH = 64;
const MAX_SCHEMA_DEPTH = 500;
/**
 * Inheritance deeper than this is left to JSON Schema's own reading of allOf: merging a chain of
 * n schemas costs n² per example, and a hostile tree may chain thousands.
 */
const MAX_INHERITANCE_DEPTH = 32;

/**
 * A self-contained schema (its `$ref`s pointing at `#` or into its own definitions) with every
 * `allOf` read the way the Matrix specification means it: as inheritance. The published spec's
 * templates merge the branches in order, a later branch overriding an earlier one and the
 * schema's own keywords overriding them all, nested objects merged key by key, and `required`
 * lists joined. `pdu_v3.yaml` relies on it: its `auth_events`
 * (a list of event IDs) replaces the base's list of [ID, hash] pairs, where JSON Schema alone would
 * demand both at once.
 *
 * A `required` name that the composed object defines nowhere is dropped as well: it constrains
 * nothing the spec documents, and `required-properties-defined` reports it where it is written.
 *
 * Objects the composition creates remember the source of what they came from in `origin`, so
 * a validator's path into the result still leads to `file:line:col`.
 */
export function composeAllOf(bundle: unknown, dialect: Dialect, origin: WeakMap<object, object>): unknown {
  return new Composer(bundle, dialect, origin).compose(bundle, 0, true);
}

/**
 * Where a `required` list names properties of the object it sits on. Under `not`, `if` or an
 * alternative it is a condition on properties its parent defines, and is left alone.
 */
const CONDITIONS = new Set([
  'not', 'if', 'then', 'else', 'anyOf', 'oneOf', 'dependentSchemas', 'contains', 'propertyNames',
]);

/**
 * Composes schemas of one document (`#` is the document, `#/$defs/<name>` its definitions), each
 * schema object once however many times it is asked for: one Composer serves every definition of
 * a shared bundle (see `SharedBundle`).
 */
export class Composer {
  private readonly defsKey: string;
  private readonly composed = new Map<object, unknown>();
  private readonly flat = new Map<object, Obj>();
  private readonly flattening = new Set<object>();

  constructor(private readonly root: unknown, dialect: Dialect, private readonly origin: WeakMap<object, object>) {
    this.defsKey = dialect === 'draft-04' ? 'definitions' : '$defs';
  }

  /** The schema with allOf merged at every level, and `required` cut to what is defined. */
  compose(node: unknown, depth: number, ownsRequired: boolean): unknown {
    if (!isObject(node) || depth > MAX_SCHEMA_DEPTH) return node;
    const done = this.composed.get(node);
    if (done !== undefined) return done;
    const flat = this.flatten(node);
    const out: Obj = {};
    this.composed.set(node, out);
    for (const [k, v] of Object.entries(flat)) setOwn(out, k, this.composeKeyword(k, v, depth));
    if (ownsRequired && Array.isArray(out.required)) {
      const defined = definedBy(out);
      if (defined) out.required = out.required.filter((name) => typeof name !== 'string' || defined(name));
    }
    this.remember(out, flat, node);
    return out;
  }

  private composeKeyword(key: string, value: unknown, depth: number): unknown {
    const owns = !CONDITIONS.has(key);
    if ((SCHEMA_VALUED as readonly string[]).includes(key)) return this.compose(value, depth + 1, owns);
    if ((SCHEMA_ARRAYS as readonly string[]).includes(key) && Array.isArray(value)) {
      return value.map((v) => this.compose(v, depth + 1, owns));
    }
    if ((SCHEMA_MAPS as readonly string[]).includes(key) && isObject(value)) {
      const m: Obj = {};
      for (const [name, sub] of Object.entries(value)) setOwn(m, name, this.compose(sub, depth + 1, owns));
      this.remember(m, value);
      return m;
    }
    return value;
  }

  /** The schema with its own `allOf` merged into it (the branches' own allOf first). */
  private flatten(node: Obj): Obj {
    if (!Array.isArray(node.allOf)) return node;
    const memo = this.flat.get(node);
    if (memo) return memo;
    const { allOf: branches, ...rest } = node;
    // A composition that reaches itself again contributes nothing more the second time.
    if (this.flattening.has(node)) return rest;
    if (this.flattening.size >= MAX_INHERITANCE_DEPTH) return node;
    this.flattening.add(node);
    let acc: Obj = {};
    let required: unknown[] = [];
    const kept: unknown[] = [];
    for (const b of branches as unknown[]) {
      if (!isObject(b) || isFormatCheck(b)) { kept.push(b); continue; }
      const branch = this.inline(b);
      acc = this.merge(acc, branch, 0);
      required = union(required, branch.required);
    }
    const out = this.merge(acc, rest, 0);
    required = union(required, rest.required);
    if (required.length > 0) out.required = required;
    if (kept.length > 0) out.allOf = kept;
    else delete out.allOf;
    // The merged object stands for the schema that composes it: its own keywords are written there.
    const source = this.origin.get(node);
    if (source) this.origin.set(out, source);
    this.flattening.delete(node);
    this.flat.set(node, out);
    return out;
  }

  /** A schema object with its `$ref` followed and its own allOf merged, ready to be merged itself. */
  private inline(node: Obj): Obj {
    if (typeof node.$ref !== 'string') return this.flatten(node);
    const target = this.target(node.$ref);
    if (!isObject(target)) return node;
    if (this.flattening.has(target)) return {};
    const { $ref: _ref, ...siblings } = node;
    const base = this.flatten(target);
    return Object.keys(siblings).length > 0 ? this.merge(base, this.flatten(siblings), 0) : base;
  }

  /** Deep merge, `b` winning; lists are replaced, objects merged key by key. */
  private merge(a: Obj, b: Obj, depth: number): Obj {
    const out: Obj = {};
    for (const [k, v] of Object.entries(a)) setOwn(out, k, v);
    for (const [k, v] of Object.entries(b)) {
      const before = own(out, k);
      const deeper = isObject(before) && isObject(v) && depth < MAX_MERGE_DEPTH;
      setOwn(out, k, deeper ? this.merge(this.inline(before as Obj), this.inline(v as Obj), depth + 1) : v);
    }
    this.remember(out, b, a);
    return out;
  }

  /** A `$ref` of the bundle: `#` or one of its own definitions. */
  private target(ref: string): unknown {
    if (ref === '#') return this.root;
    const prefix = `#/${this.defsKey}/`;
    if (!ref.startsWith(prefix) || !isObject(this.root)) return undefined;
    const defs = own(this.root, this.defsKey);
    return isObject(defs) ? own(defs, ref.slice(prefix.length)) : undefined;
  }

  /** A new object's source is the first of its contributors that has one. */
  private remember(made: object, ...from: object[]): void {
    if (this.origin.has(made)) return;
    for (const f of from) {
      const source = this.origin.get(f);
      if (source) { this.origin.set(made, source); return; }
    }
  }
}

/** The check `SharedBundle` adds for an identifier format: kept apart so both patterns apply. */
function isFormatCheck(branch: Obj): boolean {
  return typeof branch['x-mxspec-format'] === 'string';
}

function union(list: unknown[], more: unknown): unknown[] {
  if (!Array.isArray(more)) return list;
  const out = [...list];
  for (const v of more) if (!out.includes(v)) out.push(v);
  return out;
}

/** Keywords after which a property name may be defined somewhere this function does not look. */
const OPEN_ENDED = [
  'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'dependencies',
  '$ref', '$dynamicRef', '$recursiveRef',
];

/**
 * Which names an object schema defines: its properties and pattern properties. Undefined when it
 * cannot tell: the schema admits other names, or may define them through a keyword not followed.
 */
function definedBy(schema: Obj): ((name: string) => boolean) | undefined {
  if (OPEN_ENDED.some((k) => schema[k] !== undefined)) return undefined;
  for (const k of ['additionalProperties', 'unevaluatedProperties']) {
    if (schema[k] !== undefined && schema[k] !== false) return undefined;
  }
  const names = isObject(schema.properties) ? schema.properties : {};
  const patterns: LinearPattern[] = [];
  for (const p of Object.keys(isObject(schema.patternProperties) ? schema.patternProperties : {})) {
    const compiled = compilePattern(p);
    if (!compiled.pattern) return undefined;
    patterns.push(compiled.pattern);
  }
  return (name) => Object.prototype.hasOwnProperty.call(names, name) || patterns.some((p) => p.test(name));
}
