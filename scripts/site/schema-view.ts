import type { SourceFile } from '../core/source.js';
import type { Spec } from '../loader/model.js';
import { isObject } from '../loader/pointer.js';
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

/** "Added in" / "Changed in" lines for a node. */
export function versionNotes(node: Json): string[] {
  const notes: string[] = [];
  if (typeof node['x-addedInMatrixVersion'] === 'string') notes.push(`Added in v${node['x-addedInMatrixVersion']}`);
  if (isObject(node['x-changedInMatrixVersion'])) {
    for (const [v, note] of Object.entries(node['x-changedInMatrixVersion'])) notes.push(`Changed in v${v}: ${String(note)}`);
  }
  return notes;
}

/** A table being filled: its object's properties, and the next one to turn into a row. */
interface TableFill { table: Table; props: [string, SourceFile, unknown][]; required: Set<string>; next: number }

/** How deep arrays, maps and alternatives nest before a type is cut short. */
const MAX_TYPE_DEPTH = 64;

/** How many schemas deep `allOf` inheritance is followed when a table is flattened. */
const MAX_INHERITANCE = 64;

/** Hands out a page-unique id for a wanted one (the caller numbers repeats). */
export type ClaimId = (base: string) => string;

/**
 * Turns a schema into the tables the site shows: the object itself first, then each nested
 * object in its own titled, anchored table, which the parent's row links to. Types are written
 * compactly: `[T]`, `{string: T}`, `A|B`, formats linked to their definition.
 */
export class SchemaTables {
  readonly tables: Table[] = [];
  private readonly anchors = new Map<unknown, string>();

  constructor(
    private readonly spec: Spec,
    private readonly prefix: string,
    private readonly formats: ReadonlyMap<string, SiteFormat>,
    private readonly claim: ClaimId,
  ) {}

  private deref(file: SourceFile, node: unknown): { file: SourceFile; node: Json } | undefined {
    const loc = this.spec.deref({ file, node });
    return loc && isObject(loc.node) ? { file: loc.file, node: loc.node } : undefined;
  }

  /** Properties and required names of an object schema, allOf branches merged. */
  private flatten(file: SourceFile, node: Json, seen = new Set<unknown>()): { props: [string, SourceFile, unknown][]; required: Set<string>; title?: string; description?: unknown; additional?: [SourceFile, unknown] } {
    const out = { props: [] as [string, SourceFile, unknown][], required: new Set<string>(), title: typeof node.title === 'string' ? node.title : undefined, description: node.description, additional: undefined as [SourceFile, unknown] | undefined };
    if (seen.has(node) || seen.size > MAX_INHERITANCE) return out;
    seen.add(node);
    for (const branch of Array.isArray(node.allOf) ? node.allOf : []) {
      const b = this.deref(file, branch);
      if (!b) continue;
      const inner = this.flatten(b.file, b.node, seen);
      for (const p of inner.props) if (!out.props.some(([n]) => n === p[0])) out.props.push(p);
      inner.required.forEach((r) => out.required.add(r));
      out.title ??= inner.title;
      out.additional ??= inner.additional;
    }
    if (isObject(node.properties)) {
      for (const [name, sub] of Object.entries(node.properties)) {
        const i = out.props.findIndex(([n]) => n === name);
        if (i >= 0) out.props[i] = [name, file, sub]; else out.props.push([name, file, sub]);
      }
    }
    if (Array.isArray(node.required)) for (const r of node.required) if (typeof r === 'string') out.required.add(r);
    if (node.additionalProperties !== undefined && typeof node.additionalProperties === 'object') out.additional = [file, node.additionalProperties];
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
    const view = this.flatten(file, node);
    const title = view.title ?? fallbackTitle;
    const anchor = this.claim(`${this.prefix}_${slugId(title, 'object')}`);
    this.anchors.set(node, anchor);
    const table: Table = { title, anchor, rows: [], description: renderDescription(view.description) };
    this.tables.push(table);
    this.mentioned.push({ table, props: view.props, required: view.required, next: 0 });
    if (!this.filling) this.fillTables();
    return anchor;
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

  private row(fill: TableFill, [name, f, raw]: [string, SourceFile, unknown]): Row {
    const sub = this.deref(f, raw);
    const schema = sub?.node ?? {};
    const enumValues = Array.isArray(schema.enum) ? schema.enum.map((v) => JSON.stringify(v)) : [];
    return {
      name, required: fill.required.has(name),
      type: sub ? this.type(sub.file, sub.node, name) : 'any',
      description: renderDescription(schema.description, true),
      notes: versionNotes(isObject(raw) ? { ...schema, ...raw } : schema),
      enumValues,
    };
  }

  /**
   * A compact type, as HTML: links to nested tables and to format definitions. Arrays of arrays
   * (or maps of maps) nested deeper than anyone reads are cut short, so no chain of them can
   * overflow the stack.
   */
  type(file: SourceFile, node: Json, nameHint: string, depth = 0): string {
    if (depth > MAX_TYPE_DEPTH) return '…';
    if (Array.isArray(node.oneOf) || Array.isArray(node.anyOf)) {
      const alts = (node.oneOf ?? node.anyOf) as unknown[];
      return alts.map((a, i) => {
        const d = this.deref(file, a);
        return d ? this.type(d.file, d.node, `${nameHint}-${i + 1}`, depth + 1) : 'any';
      }).join('|');
    }
    const types = Array.isArray(node.type) ? node.type as string[] : typeof node.type === 'string' ? [node.type] : [];
    if (types.length > 1) return types.map((t) => this.type(file, { ...node, type: t }, nameHint, depth + 1)).join('|');
    const t = types[0];
    if (t === 'array' || (!t && node.items !== undefined)) {
      const items = this.deref(file, node.items);
      return `[${items ? this.type(items.file, items.node, nameHint, depth + 1) : 'any'}]`;
    }
    if (this.isObjectSchema(node)) {
      const view = this.flatten(file, node);
      const anchor = this.table(file, node, view.title ?? nameHint);
      return `<a href="#${anchor}">${escapeHtml(view.title ?? nameHint)}</a>`;
    }
    if (t === 'object' || (!t && node.additionalProperties !== undefined)) {
      const add = isObject(node.additionalProperties) ? this.deref(file, node.additionalProperties) : undefined;
      const keys = isObject(node.propertyNames) && typeof node.propertyNames.format === 'string' ? this.format(node.propertyNames.format) : 'string';
      return add ? `{${keys}: ${this.type(add.file, add.node, nameHint, depth + 1)}}` : 'object';
    }
    if (typeof node.format === 'string' && this.formats.has(node.format)) return this.format(node.format);
    const base = escapeHtml(t ?? 'any');
    return typeof node.format === 'string' ? `${base} (${escapeHtml(node.format)})` : base;
  }

  private format(name: string): string {
    const f = this.formats.get(name);
    if (!f) return escapeHtml(name);
    return f.url ? `<a href="${escapeHtml(f.url)}">${escapeHtml(f.title)}</a>` : escapeHtml(f.title);
  }
}
