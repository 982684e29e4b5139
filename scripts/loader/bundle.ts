import type { SourceFile } from '../core/source.js';
import type { Api, Spec } from './model.js';
import { isObject, isRef } from './pointer.js';
import { SCHEMA_ARRAYS, SCHEMA_MAPS, SCHEMA_VALUED } from './schema-keywords.js';
import { copiesOf, followPureRefs, type Copies } from './copies.js';
import { own, setOwn } from '../core/tree.js';

type Json = Record<string, unknown>;

/** Keys of a schema that only serve readers and validators of examples, not types. */
const DROPPED = new Set(['example', 'examples', '$id', '$schema', '$comment', 'xml', 'externalDocs']);

/** Text for a JSDoc comment: a star-slash in data would end the comment and let the rest become code. */
export function docText(text: string): string {
  return text.replaceAll('*/', '*\\/');
}

/** A TypeScript-friendly name: `m.room.join_rules` → `RoomJoinRules`, `Error` stays. */
export function typeName(text: string): string {
  const words = text.replace(/^m\./, '').split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[0-9]/.test(name) ? `T${name}` : name || 'Schema';
}

/** "Added in" and "changed in" notes, as JSDoc tags at the end of a description. */
function versionNotes(node: Json): string | undefined {
  const lines: string[] = [];
  if (typeof node['x-addedInMatrixVersion'] === 'string') lines.push(`@since Matrix ${node['x-addedInMatrixVersion']}`);
  if (isObject(node['x-changedInMatrixVersion'])) {
    for (const [v, note] of Object.entries(node['x-changedInMatrixVersion'])) lines.push(`Changed in Matrix ${v}: ${String(note)}`);
  }
  if (lines.length === 0) return undefined;
  return [typeof node.description === 'string' ? node.description : '', ...lines].filter(Boolean).join('\n\n');
}

/**
 * Turns the spec's documents into the self-contained OpenAPI documents openapi-typescript
 * reads: every `$ref` resolved through the loader, every titled schema a named component (so it
 * becomes a named type), versions carried into descriptions.
 */
export class DocumentBundler {
  readonly schemas: Json = {};
  private readonly names = new Map<unknown, string>();
  private readonly taken = new Set<string>();

  private readonly copies: Copies;

  /** `publish` keeps what API explorers want and types do not: examples and security. */
  constructor(private readonly spec: Spec, private readonly options: { publish?: boolean } = {}) {
    this.copies = copiesOf(spec);
  }

  /** Components named but not yet converted: see `component`. */
  private readonly pending: { file: SourceFile; node: unknown; name: string }[] = [];
  private draining = false;

  /**
   * The component name of a schema node, creating the component on first use. Components that
   * reference others are converted one after another from a queue, never by recursion, so a chain
   * of references through thousands of files cannot overflow the stack.
   */
  component(file: SourceFile, node: unknown, preferred?: string): string {
    const known = this.names.get(node);
    if (known) return known;
    const fileName = file.rel.split('/').pop()!.replace(/\.(ya?ml|json)$/, '');
    const base = preferred ?? typeName(isObject(node) && typeof node.title === 'string' ? node.title : fileName);
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}${i}`;
    this.taken.add(name);
    this.names.set(node, name);
    this.schemas[name] = {};
    this.pending.push({ file, node, name });
    if (!this.draining) {
      this.draining = true;
      try {
        for (let next = this.pending.shift(); next; next = this.pending.shift()) this.schemas[next.name] = this.schema(next.file, next.node, true);
      } finally {
        this.draining = false;
      }
    }
    return name;
  }

  private ref(name: string): Json {
    return { $ref: `#/components/schemas/${name}` };
  }

  /** A schema, with references and titled subschemas turned into component references. */
  schema(file: SourceFile, node: unknown, top = false): unknown {
    if (!isObject(node)) return node;
    if (!top && typeof node.title === 'string' && node.$ref === undefined) return this.ref(this.component(file, node));
    const out: Json = {};
    let target: string | undefined;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') {
        if (typeof v !== 'string') continue;
        const r = followPureRefs(this.spec, file, v);
        if (r.error === undefined) target = this.component(r.file, r.node);
      } else if (DROPPED.has(k) && !(this.options.publish && (k === 'example' || k === 'examples'))) {
        continue;
      } else if (k === 'example' || k === 'examples') {
        out[k] = this.copies.resolve(file, v);
      } else if ((SCHEMA_MAPS as readonly string[]).includes(k) && isObject(v)) {
        out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, this.schema(file, s)]));
      } else if ((SCHEMA_ARRAYS as readonly string[]).includes(k) && Array.isArray(v)) {
        out[k] = v.map((s) => this.schema(file, s));
      } else if ((SCHEMA_VALUED as readonly string[]).includes(k)) {
        out[k] = this.schema(file, v);
      } else {
        setOwn(out, k, v);
      }
    }
    const notes = versionNotes(node);
    if (notes) out.description = notes;
    if (target === undefined) return out;
    // A reference with siblings means both apply.
    const rest = Object.keys(out).filter((k) => k !== 'description' && k !== 'title');
    return rest.length ? { ...out, allOf: [this.ref(target), ...(Array.isArray(out.allOf) ? out.allOf : [])] } : { ...this.ref(target), ...out };
  }

  /** Follows references outside schemas (parameters, responses, bodies): they are inlined. */
  private deref(file: SourceFile, node: unknown): { file: SourceFile; node: Json } | undefined {
    const loc = isRef(node) ? this.spec.deref({ file, node }) : { file, node };
    return loc && isObject(loc.node) ? { file: loc.file, node: loc.node } : undefined;
  }

  private content(file: SourceFile, content: unknown): Json | undefined {
    if (!isObject(content)) return undefined;
    const out: Json = {};
    for (const [mime, raw] of Object.entries(content)) {
      const media = this.deref(file, raw);
      if (!media) continue;
      const m: Json = media.node.schema === undefined ? {} : { schema: this.schema(media.file, media.node.schema) };
      if (this.options.publish) {
        if ('example' in media.node) m.example = this.copies.resolve(media.file, media.node.example);
        if (isObject(media.node.examples)) m.examples = this.copies.resolve(media.file, media.node.examples);
      }
      setOwn(out, mime, m);
    }
    return out;
  }

  private parameters(file: SourceFile, list: unknown): Json[] | undefined {
    if (!Array.isArray(list)) return undefined;
    return list.flatMap((raw) => {
      const p = this.deref(file, raw);
      if (!p) return [];
      const { schema, content, example: _e, examples: _x, ...rest } = p.node;
      const out: Json = { ...rest, schema: schema === undefined ? { type: 'string' } : this.schema(p.file, schema) };
      if (content !== undefined) out.content = this.content(p.file, content);
      const notes = versionNotes(p.node);
      if (notes) out.description = notes;
      return [out];
    });
  }

  private operation(file: SourceFile, op: Json): Json {
    const out: Json = {};
    for (const key of ['operationId', 'summary', 'description', 'deprecated', 'tags'] as const) if (op[key] !== undefined) out[key] = op[key];
    if (this.options.publish && op.security !== undefined) out.security = op.security;
    const notes = versionNotes(op);
    if (notes) out.description = notes;
    const parameters = this.parameters(file, op.parameters);
    if (parameters) out.parameters = parameters;
    const body = this.deref(file, op.requestBody);
    if (body) out.requestBody = { required: body.node.required === true, description: body.node.description, content: this.content(body.file, body.node.content) ?? {} };
    const responses: Json = {};
    if (isObject(op.responses)) {
      for (const [status, raw] of Object.entries(op.responses)) {
        const res = this.deref(file, raw);
        if (!res) continue;
        const r: Json = { description: typeof res.node.description === 'string' ? res.node.description : '' };
        const content = this.content(res.file, res.node.content);
        if (content) r.content = content;
        if (isObject(res.node.headers)) {
          r.headers = Object.fromEntries(Object.entries(res.node.headers).flatMap(([name, h]) => {
            const header = this.deref(res.file, h);
            return header ? [[name, { description: header.node.description, schema: this.schema(header.file, header.node.schema ?? { type: 'string' }) }]] : [];
          }));
        }
        setOwn(responses, status, r);
      }
    }
    out.responses = responses;
    return out;
  }

  /** One document for a whole API: all its root files, paths keyed by their full path. */
  api(api: Api, version: string): Json {
    const paths: Json = {};
    const webhooks: Json = {};
    for (const op of this.spec.operations) {
      if (op.api !== api.name || op.root.format === 'swagger-2.0') continue;
      // Keys from data are set as own properties: a path named __proto__ must not reach a prototype.
      let item = own(paths, op.fullPath) as Json | undefined;
      if (!item) { item = {}; setOwn(paths, op.fullPath, item); }
      const shared = this.parameters(op.file, op.pathItem.parameters);
      if (item[op.method] !== undefined) {
        // A second operation on one route (x-alternative-of) cannot share the path's slot; as a
        // webhook it still gets its own entry in `operations`.
        setOwn(webhooks, String(op.node.operationId), { ...(shared ? { parameters: shared } : {}), [op.method]: this.operation(op.file, op.node) });
        continue;
      }
      if (shared && !item.parameters) item.parameters = shared;
      item[op.method] = this.operation(op.file, op.node);
    }
    const components: Json = { schemas: this.schemas };
    if (this.options.publish) {
      const schemes: Json = {};
      for (const root of api.roots) {
        const group = isObject(root.doc.components) ? root.doc.components.securitySchemes : undefined;
        const resolved = group === undefined ? undefined : this.copies.resolve(root.file, group);
        if (isObject(resolved)) for (const [name, scheme] of Object.entries(resolved)) setOwn(schemes, name, scheme);
      }
      components.securitySchemes = schemes;
    }
    return {
      openapi: '3.1.0', info: { title: `Matrix ${api.name} API`, version }, ...(this.options.publish ? { servers: [{ url: '/' }] } : {}),
      paths, ...(Object.keys(webhooks).length && !this.options.publish ? { webhooks } : {}), components,
    };
  }
}

