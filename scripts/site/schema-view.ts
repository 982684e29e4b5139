import type { SourceFile } from '../core/source.js';
import type { Spec } from '../loader/model.js';
import { isObject, isRef } from '../loader/pointer.js';
import type { SiteFormat } from './formats.js';
import { escapeHtml } from './html.js';
import { slugId } from './ids.js';
import { renderDescription } from './markdown.js';

type Json = Record<string, unknown>;

export interface Row {
  name: string;
  type: string;
  required: boolean;
  description: string;
  notes: string[];
  enumValues: string[];
}

export interface Table {
  title: string;
  anchor: string;
  rows: Row[];
  description: string;
}

/** "Added in" / "Changed in" lines for a node, as HTML: a change's note is Markdown (`code` and links). */
export function versionNotes(node: Json): string[] {
  return notesOf(node['x-addedInMatrixVersion'], node['x-changedInMatrixVersion']);
}

function notesOf(added: unknown, changed: unknown): string[] {
  const notes: string[] = [];
  if (typeof added === 'string') notes.push(`Added in v${escapeHtml(added)}`);
  if (isObject(changed)) {
    for (const [v, note] of Object.entries(changed)) {
      notes.push(`Changed in v${escapeHtml(v)}: ${renderDescription(String(note), true)}`);
    }
  }
  return notes;
}

/** A keyword of a property, written beside its `$ref` or else on the schema the `$ref` names. */
function layered(raw: unknown, schema: Json, key: string): unknown {
  return isObject(raw) && Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : schema[key];
}

/** A schema object and the file it is written in. */
export interface SchemaLoc { file: SourceFile; node: Json }

/** A property of an object schema: its name, the file it is written in, and its (unresolved) schema. */
type Prop = [string, SourceFile, unknown];

/** An object schema as one table shows it: allOf branches merged, later definitions winning. */
interface Flat {
  props: Prop[];
  required: Set<string>;
  title?: string;
  description?: unknown;
  additional?: [SourceFile, unknown];
}

/** What a row shows that depends on its property's schema alone, not on the table it is in. */
interface RowParts {
  sub?: SchemaLoc;
  description: string;
  notes: string[];
  enumValues: string[];
}

/** A table being filled: its object's properties, and the next one to turn into a row. */
interface TableFill { table: Table; props: Prop[]; required: Set<string>; next: number }

/** How deep arrays, maps and alternatives nest before a type is cut short. */
const MAX_TYPE_DEPTH = 64;

/** How many schemas deep `allOf` inheritance is followed when a table is flattened. */
const MAX_INHERITANCE = 64;

/** Hands out a page-unique id for a wanted one (the caller numbers repeats). */
export type ClaimId = (base: string) => string;

/**
 * What SchemaTables work out from a schema node alone, kept for one build: shared definitions
 * (errors, events, common objects) appear in many blocks under different anchors, and only
 * their anchors differ. Keyed by the parsed node, which nothing edits during a build.
 */
export class SchemaCache {
  readonly flat = new WeakMap<object, Flat>();
  readonly rows = new WeakMap<object, RowParts>();
  readonly tableDescriptions = new WeakMap<object, string>();
  /** Types that link to no table and were not cut short, as written at the top level. */
  readonly plainTypes = new WeakMap<object, string>();
  /** Where each `$ref` node leads (null: nowhere), for every link of a chain once it is walked. */
  readonly targets = new WeakMap<object, SchemaLoc | null>();
}

/**
 * A `$ref` beside `properties` or `allOf` extends the schema it names rather than standing for
 * it: v1.2's rate_limited.yaml is error.yaml plus `retry_after_ms`. Both the Matrix convention
 * (siblings laid over the target) and JSON Schema 2020-12 (both apply) read it so.
 */
function extendsTarget(node: Json): boolean {
  return typeof node.$ref === 'string' && (isObject(node.properties) || Array.isArray(node.allOf));
}

/**
 * The schema a node stands for: `$ref`s followed one hop at a time until a schema that is not a
 * plain reference. Every link of a walked chain remembers the end, so chains cost linear time.
 */
export function resolveSchema(spec: Spec, cache: SchemaCache, file: SourceFile, node: unknown): SchemaLoc | undefined {
  if (!isRef(node)) return isObject(node) ? { file, node } : undefined;
  const path = new Set<object>();
  let loc: { file: SourceFile; node: unknown } = { file, node };
  let end: SchemaLoc | null = null;
  for (;;) {
    const n = loc.node;
    if (!isRef(n) || extendsTarget(n)) { end = isObject(n) ? { file: loc.file, node: n } : null; break; }
    const known = cache.targets.get(n);
    if (known !== undefined || path.has(n)) { end = known ?? null; break; }
    path.add(n);
    const next = spec.resolveRefOnce(loc.file, n.$ref);
    if (next.error !== undefined) break;
    loc = { file: next.file, node: next.node };
  }
  for (const n of path) cache.targets.set(n, end);
  return end ?? undefined;
}

/** What a schema inherits from, in order: the target it extends (see extendsTarget), then its `allOf`. */
export function schemaBranches(spec: Spec, cache: SchemaCache, file: SourceFile, node: Json): SchemaLoc[] {
  const out: SchemaLoc[] = [];
  if (extendsTarget(node)) {
    const target = spec.resolveRefOnce(file, node.$ref as string);
    const loc = target.error === undefined ? resolveSchema(spec, cache, target.file, target.node) : undefined;
    if (loc) out.push(loc);
  }
  for (const branch of Array.isArray(node.allOf) ? node.allOf : []) {
    const loc = resolveSchema(spec, cache, file, branch);
    if (loc) out.push(loc);
  }
  return out;
}

/**
 * Turns a schema into the tables the site shows: the object itself first, then each nested
 * object in its own titled, anchored table, which the parent's row links to. Types are written
 * compactly: `[T]`, `{string: T}`, `A|B`, formats linked to their definition.
 */
export class SchemaTables {
  readonly tables: Table[] = [];
  private readonly anchors = new Map<unknown, string>();
  /** Counts types that link to a table or were cut short: a type that moved it is not cached. */
  private contextual = 0;

  constructor(
    private readonly spec: Spec,
    private readonly prefix: string,
    private readonly formats: ReadonlyMap<string, SiteFormat>,
    private readonly claim: ClaimId,
    private readonly cache: SchemaCache = new SchemaCache(),
  ) {}

  private deref(file: SourceFile, node: unknown): SchemaLoc | undefined {
    return resolveSchema(this.spec, this.cache, file, node);
  }

  /** The merged view of an object schema, worked out once per node. */
  private flatView(file: SourceFile, node: Json): Flat {
    let flat = this.cache.flat.get(node);
    if (!flat) {
      flat = this.flatten(file, node, new Set());
      this.cache.flat.set(node, flat);
    }
    return flat;
  }

  /** Properties and required names of an object schema, allOf branches merged. */
  private flatten(file: SourceFile, node: Json, seen: Set<unknown>): Flat {
    const out: Flat = {
      props: [], required: new Set<string>(), title: typeof node.title === 'string' ? node.title : undefined,
      description: node.description, additional: undefined,
    };
    if (seen.has(node) || seen.size > MAX_INHERITANCE) return out;
    seen.add(node);
    const at = new Map<string, number>();
    const put = (prop: Prop, replace: boolean) => {
      const i = at.get(prop[0]);
      if (i === undefined) {
        at.set(prop[0], out.props.length);
        out.props.push(prop);
      } else if (replace) out.props[i] = prop;
    };
    for (const b of schemaBranches(this.spec, this.cache, file, node)) {
      const inner = this.flatten(b.file, b.node, seen);
      for (const p of inner.props) put(p, false);
      inner.required.forEach((r) => out.required.add(r));
      out.title ??= inner.title;
      out.additional ??= inner.additional;
    }
    const own = isObject(node.properties) ? Object.entries(node.properties) : [];
    for (const [name, sub] of own) put([name, file, sub], true);
    if (Array.isArray(node.required)) for (const r of node.required) if (typeof r === 'string') out.required.add(r);
    if (node.additionalProperties !== undefined && typeof node.additionalProperties === 'object') {
      out.additional = [file, node.additionalProperties];
    }
    return out;
  }

  private isObjectSchema(node: Json): boolean {
    return isObject(node.properties) || (Array.isArray(node.allOf) && node.allOf.length > 0 && node.type !== 'array');
  }

  /** Tables mentioned but not yet filled, in the order their rows are filled: see `table`. */
  private readonly unfilled: TableFill[] = [];
  private mentioned: TableFill[] = [];
  private filling = false;

  /**
   * The anchored table for an object schema, created on first mention. Its rows are filled from
   * a stack rather than by recursion (a row's type may mention the next nested table), so a schema
   * nested through thousands of files cannot overflow; tables still come parent first, then each
   * nested table before the parent's next row's.
   */
  table(file: SourceFile, node: Json, fallbackTitle: string): string {
    const known = this.anchors.get(node);
    if (known) return known;
    const view = this.flatView(file, node);
    const title = view.title ?? fallbackTitle;
    const anchor = this.claim(`${this.prefix}_${slugId(title, 'object')}`);
    this.anchors.set(node, anchor);
    const table: Table = { title, anchor, rows: [], description: this.tableDescription(node, view) };
    this.tables.push(table);
    this.mentioned.push({ table, props: view.props, required: view.required, next: 0 });
    if (!this.filling) this.fillTables();
    return anchor;
  }

  private tableDescription(node: Json, view: Flat): string {
    let html = this.cache.tableDescriptions.get(node);
    if (html === undefined) {
      html = renderDescription(view.description);
      this.cache.tableDescriptions.set(node, html);
    }
    return html;
  }

  private fillTables(): void {
    this.filling = true;
    try {
      this.adoptMentioned();
      while (this.unfilled.length > 0) {
        const top = this.unfilled[this.unfilled.length - 1]!;
        if (top.next >= top.props.length) { this.unfilled.pop(); continue; }
        top.table.rows.push(this.row(top, top.props[top.next++]!));
        this.adoptMentioned();
      }
    } finally {
      this.filling = false;
    }
  }

  /** Tables a row just mentioned go on top, the first mentioned filled first. */
  private adoptMentioned(): void {
    for (let i = this.mentioned.length - 1; i >= 0; i--) this.unfilled.push(this.mentioned[i]!);
    this.mentioned = [];
  }

  private row(fill: TableFill, [name, f, raw]: Prop): Row {
    const parts = this.rowParts(f, raw);
    return {
      name, required: fill.required.has(name),
      type: parts.sub ? this.type(parts.sub.file, parts.sub.node, name) : 'any',
      description: parts.description, notes: parts.notes.slice(), enumValues: parts.enumValues.slice(),
    };
  }

  private rowParts(file: SourceFile, raw: unknown): RowParts {
    const key = raw !== null && typeof raw === 'object' ? raw : undefined;
    let parts = key && this.cache.rows.get(key);
    if (parts) return parts;
    const sub = this.deref(file, raw);
    const schema = sub?.node ?? {};
    parts = {
      sub,
      // A description beside a `$ref` says what the field means here; the target's is generic.
      description: renderDescription(layered(raw, schema, 'description'), true),
      notes: notesOf(layered(raw, schema, 'x-addedInMatrixVersion'), layered(raw, schema, 'x-changedInMatrixVersion')),
      enumValues: Array.isArray(schema.enum) ? schema.enum.map((v) => JSON.stringify(v)) : [],
    };
    if (key) this.cache.rows.set(key, parts);
    return parts;
  }

  /**
   * A compact type, as HTML: links to nested tables and to format definitions. Arrays of arrays
   * (or maps of maps) nested deeper than anyone reads are cut short, so no chain of them can
   * overflow the stack. A top-level type that links nowhere depends on its node alone and is
   * remembered for the build.
   */
  type(file: SourceFile, node: Json, nameHint: string, depth = 0): string {
    if (depth !== 0) return this.typeOf(file, node, nameHint, depth);
    const known = this.cache.plainTypes.get(node);
    if (known !== undefined) return known;
    const before = this.contextual;
    const html = this.typeOf(file, node, nameHint, depth);
    if (this.contextual === before) this.cache.plainTypes.set(node, html);
    return html;
  }

  private typeOf(file: SourceFile, node: Json, nameHint: string, depth: number): string {
    if (depth > MAX_TYPE_DEPTH) { this.contextual++; return '…'; }
    if (Array.isArray(node.oneOf) || Array.isArray(node.anyOf)) {
      const alts = (node.oneOf ?? node.anyOf) as unknown[];
      return alts.map((a, i) => {
        const d = this.deref(file, a);
        return d ? this.type(d.file, d.node, `${nameHint}-${i + 1}`, depth + 1) : 'any';
      }).join('|');
    }
    const types = Array.isArray(node.type) ? node.type as string[] : typeof node.type === 'string' ? [node.type] : [];
    if (types.length > 1) {
      return types.map((t) => this.type(file, { ...node, type: t }, nameHint, depth + 1)).join('|');
    }
    const t = types[0];
    if (t === 'array' || (!t && node.items !== undefined)) {
      const items = this.deref(file, node.items);
      return `[${items ? this.type(items.file, items.node, nameHint, depth + 1) : 'any'}]`;
    }
    if (this.isObjectSchema(node)) {
      this.contextual++;
      const title = this.flatView(file, node).title ?? nameHint;
      const anchor = this.table(file, node, title);
      return `<a href="#${anchor}">${escapeHtml(title)}</a>`;
    }
    const isMap = t === 'object' || (!t && node.additionalProperties !== undefined);
    if (isMap) return this.mapType(file, node, nameHint, depth);
    if (typeof node.format === 'string' && this.formats.has(node.format)) return this.format(node.format);
    const base = escapeHtml(t ?? 'any');
    return typeof node.format === 'string' ? `${base} (${escapeHtml(node.format)})` : base;
  }

  /** `{keys: values}` for a map, or `object` when its values are not described. */
  private mapType(file: SourceFile, node: Json, nameHint: string, depth: number): string {
    const add = isObject(node.additionalProperties) ? this.deref(file, node.additionalProperties) : undefined;
    const names = node.propertyNames;
    const keys = isObject(names) && typeof names.format === 'string' ? this.format(names.format) : 'string';
    return add ? `{${keys}: ${this.type(add.file, add.node, nameHint, depth + 1)}}` : 'object';
  }

  private format(name: string): string {
    const f = this.formats.get(name);
    if (!f) return escapeHtml(name);
    return f.url ? `<a href="${escapeHtml(f.url)}">${escapeHtml(f.title)}</a>` : escapeHtml(f.title);
  }
}
