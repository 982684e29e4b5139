import { createRequire } from 'node:module';
import type { SourceFile } from '../core/source.js';
import { own } from '../core/tree.js';
import type { Operation, Spec } from '../loader/model.js';
import { isObject } from '../loader/pointer.js';
import type { Located } from '../loader/refs.js';
import { copiesOf, type Copies } from '../loader/copies.js';
import type { SiteFormat } from './formats.js';
import { endpointAnchor, eventAnchor, IdRegistry, LAYOUT_IDS, slugId } from './ids.js';
import { highlightStringifiedJson } from './json-highlight.js';
import { renderDescription } from './markdown.js';
import {
  resolveSchema, SchemaCache, schemaBranches, SchemaTables, versionNotes, type ClaimId, type SchemaLoc, type Table,
} from './schema-view.js';

const require = createRequire(import.meta.url);
const hljs = require('highlight.js/lib/core') as typeof import('highlight.js').default;
hljs.registerLanguage('json', require('highlight.js/lib/languages/json') as never);

type Json = Record<string, unknown>;

/** Highlighted examples by their text: most are unchanged from one dev rebuild to the next. */
const highlighted = new Map<string, string>();

/** Pretty-printed, highlighted JSON (highlight.js escapes the text it wraps). */
export function highlightJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  let html = highlighted.get(text);
  if (html === undefined) {
    html = highlightStringifiedJson(text) ?? hljs.highlight(text, { language: 'json' }).value;
    if (highlighted.size > 5000) highlighted.clear();
    highlighted.set(text, html);
  }
  return html;
}

/** highlight.js's own markup for a value, for the tests that hold the fast path to it. */
export function highlightJsonWithHljs(value: unknown): string {
  return hljs.highlight(JSON.stringify(value, null, 2) ?? 'null', { language: 'json' }).value;
}

export interface ParameterTable { location: string; rows: Table['rows'] }

export interface ResponseView { status: string; id: string; description: string; tables: Table[]; examples: string[] }

export interface EndpointView {
  anchor: string;
  /** The id of the block's heading. */
  titleId: string;
  /** Every id the block puts on its page. */
  ids: string[];
  method: string;
  path: string;
  operationId: string;
  summary: string;
  deprecated: boolean;
  notes: string[];
  rateLimited: boolean;
  auth: string;
  description: string;
  parameters: ParameterTable[];
  requestTables: Table[];
  requestExamples: string[];
  responses: ResponseView[];
}

export interface EventView {
  anchor: string;
  titleId: string;
  ids: string[];
  type: string;
  /** What the block's heading shows: the type, or the name the page gave it (`m.text`). */
  name: string;
  kind: string;
  stateKey: string;
  title: string;
  description: string;
  notes: string[];
  tables: Table[];
  examples: { name: string; html: string }[];
}

/**
 * Any schema of the tree shown on its own (an EDU, a PDU, an event envelope). The fields the
 * event template uses mean the same here: `anchor`, `titleId`, `ids`, `notes`, `description`,
 * `tables` and `examples`; `title` plays the part of the event's `name`.
 */
export interface DefinitionView {
  anchor: string;
  titleId: string;
  ids: string[];
  title: string;
  description: string;
  notes: string[];
  tables: Table[];
  /** The schema's `example`, when it has one (its own, or inherited through `allOf` or a `$ref` it extends). */
  examples: { name: string; html: string }[];
}

/** A request or response body in either format: its schema, and its examples where each is written. */
interface BodySource { schema?: Located; examples: Located[] }

/** Finds a value on one schema of an inheritance chain, or nothing. */
type Pick = (loc: SchemaLoc) => Located | undefined;

/** What a block shows of a body. */
interface BodyView { tables: Table[]; examples: string[] }

/** A fresh view of no body: views are handed to other code, so none shares its arrays. */
function noBody(): BodyView {
  return { tables: [], examples: [] };
}

const LOCATIONS = ['path', 'query', 'header', 'cookie'] as const;

/** How many schemas deep inheritance is followed for an inherited keyword. */
const MAX_INHERITANCE = 64;

function hasOwn(node: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(node, key);
}

/** Whether the operation needs an access token: required, optional (an empty alternative) or not. */
function authOf(op: Operation): string {
  const security = op.node.security ?? op.root.doc.security;
  if (!Array.isArray(security) || security.length === 0) return 'No';
  // The scheme names (`accessToken`) are the data's own; a reader needs only whether a token is needed.
  const schemes = security.filter((s) => isObject(s) && Object.keys(s).length > 0);
  if (schemes.length === 0) return 'No';
  return schemes.length < security.length ? 'Optional' : 'Yes';
}

/**
 * What a reader calls an event example: nothing for the event's own (`m.room.join_rules`), its
 * variant for the others (`restricted` for `m.room.join_rules$restricted`), never the file's name.
 */
function exampleLabel(type: string, name: string): string {
  if (name === type) return '';
  return name.startsWith(`${type}$`) ? name.slice(type.length + 1) : name.slice(name.indexOf('$') + 1);
}

/** OpenAPI 3's examples of a media type: `example`, then each Example Object's `value`. */
function mediaExamples(media: Json): unknown[] {
  const out: unknown[] = [];
  if ('example' in media) out.push(media.example);
  if (isObject(media.examples)) {
    for (const e of Object.values(media.examples)) if (isObject(e) && 'value' in e) out.push(e.value);
  }
  return out;
}

/** The id suffix of a response: its status, or a slug of it when it is not plain letters and digits. */
function statusSlug(status: string): string {
  return /^[A-Za-z0-9]+$/.test(status) ? status : slugId(status, 'other');
}

/**
 * Whether a resolved event schema names `state_key` anywhere: as a key, or as a string that
 * would print as `"state_key"` in its JSON (the string itself, or one ending in a quote and it).
 */
function mentionsStateKey(resolved: unknown): boolean {
  const named = (s: string) => s === 'state_key' || s.endsWith('"state_key');
  const seen = new Set<object>();
  const stack: unknown[] = [resolved];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') { if (named(node)) return true; continue; }
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) { for (const item of node) stack.push(item); continue; }
    for (const [key, value] of Object.entries(node)) {
      if (value !== undefined && named(key)) return true;
      stack.push(value);
    }
  }
  return false;
}

/** A file's name without folder and extension: a definition's title of last resort. */
function baseName(file: SourceFile): string {
  const name = file.rel.slice(file.rel.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * Views of endpoints, events and definitions for the templates; one instance per build
 * (examples resolved once). Swagger 2.0 and OpenAPI 3 operations give the same view. Every id a
 * block uses is unique across the site, and none is one of the layout's: a route defined twice
 * (a lint error) or two event types that differ only in punctuation still get distinct anchors.
 */
/** One block asked for in a build: what for, and the view given. */
interface Asked { key: unknown; extra: string; view: { ids: string[] } | undefined }

/** The views of the last build, in the order they were asked for, and what they were made from. */
let lastBuild: { files: readonly SourceFile[]; layoutIds: string; asked: Asked[] } | undefined;

function sameFiles(a: readonly SourceFile[], b: readonly SourceFile[]): boolean {
  return a.length === b.length && a.every((file, i) => file === b[i]);
}

export class Blocks {
  private readonly copies: Copies;
  private readonly ids: IdRegistry;
  /**
   * The last build's views, replayed while this build asks for the same blocks in the same order
   * from the same files: an edit to prose in the dev server then renders no block again. The first
   * request that differs ends the replay, since ids given out after it could differ.
   */
  private replay: Asked[] | undefined;
  private readonly asked: Asked[] = [];
  private readonly schemaCache = new SchemaCache();
  /** Highlighted examples by their resolved copy, which Copies hands out once per source value. */
  private readonly highlightedCopies = new WeakMap<object, string>();

  /** `layoutIds` are the ids the layout uses besides the usual ones; no block takes them. */
  constructor(
    private readonly spec: Spec,
    private readonly formats: ReadonlyMap<string, SiteFormat>,
    layoutIds: Iterable<string> = [],
  ) {
    this.copies = copiesOf(spec);
    const reserved = [...LAYOUT_IDS, ...layoutIds];
    this.ids = new IdRegistry(reserved);
    const key = reserved.join('\u0000');
    if (lastBuild && lastBuild.layoutIds === key && sameFiles(lastBuild.files, spec.files)) this.replay = lastBuild.asked;
    lastBuild = { files: spec.files, layoutIds: key, asked: this.asked };
  }

  /** The view the last build made for the same request at the same point, or a new one. */
  private remembered<V extends { ids: string[] } | undefined>(key: unknown, extra: string, make: () => V): V {
    const before = this.replay?.[this.asked.length];
    if (before && before.key === key && before.extra === extra
      && (before.view?.ids ?? []).every((id) => !this.ids.has(id))) {
      for (const id of before.view?.ids ?? []) this.ids.claim(id);
      this.asked.push(before);
      return before.view as V;
    }
    this.replay = undefined;
    const view = make();
    this.asked.push({ key, extra, view });
    return view;
  }

  /** A claim function that also records the ids of one block. */
  private claimer(into: string[]): (base: string, sep?: string) => string {
    return (base, sep) => { const id = this.ids.claim(base, sep); into.push(id); return id; };
  }

  private tables(prefix: string, claim: ClaimId): SchemaTables {
    return new SchemaTables(this.spec, prefix, this.formats, claim, this.schemaCache);
  }

  /** An example value, references resolved, pretty-printed and highlighted. */
  private example(file: SourceFile, value: unknown): string {
    const copy = this.copies.resolve(file, value);
    if (copy === null || typeof copy !== 'object') return highlightJson(copy);
    let html = this.highlightedCopies.get(copy);
    if (html === undefined) {
      html = highlightJson(copy);
      this.highlightedCopies.set(copy, html);
    }
    return html;
  }

  /** The schema a node stands for, `$ref`s followed (see resolveSchema). */
  private schemaAt(file: SourceFile, node: unknown): SchemaLoc | undefined {
    return resolveSchema(this.spec, this.schemaCache, file, node);
  }

  /**
   * A keyword of a schema, its own or else inherited (a later branch wins, as when the branches
   * are merged in order), with the file its value is written in.
   */
  private inherited(file: SourceFile, node: unknown, key: string): Located | undefined {
    const pick: Pick = ({ file: f, node: n }) => (hasOwn(n, key) ? { file: f, node: n[key] } : undefined);
    return this.inheritedBy(file, node, pick);
  }

  /** The first value `pick` finds on a schema or, failing that, up its inheritance (later branches first). */
  private inheritedBy(file: SourceFile, node: unknown, pick: Pick): Located | undefined {
    const seen = new Set<unknown>();
    const look = (loc: SchemaLoc | undefined): Located | undefined => {
      if (!loc || seen.has(loc.node) || seen.size > MAX_INHERITANCE) return undefined;
      seen.add(loc.node);
      const found = pick(loc);
      if (found) return found;
      const branches = schemaBranches(this.spec, this.schemaCache, loc.file, loc.node);
      for (let i = branches.length - 1; i >= 0; i--) {
        const inner = look(branches[i]);
        if (inner) return inner;
      }
      return undefined;
    };
    return look(this.schemaAt(file, node));
  }

  /** A body schema's own example: beside its `$ref`, or on the schema it names. */
  private schemaExample(file: SourceFile, raw: unknown): Located | undefined {
    if (isObject(raw) && hasOwn(raw, 'example')) return { file, node: raw.example };
    const loc = this.schemaAt(file, raw);
    return loc && hasOwn(loc.node, 'example') ? { file: loc.file, node: loc.node.example } : undefined;
  }

  /** A body from its schema and the examples written beside it; without those, the schema's own example. */
  private schemaBody(file: SourceFile, raw: unknown, examples: Located[]): BodySource | undefined {
    const schema = this.schemaAt(file, raw);
    const shown = examples.length > 0 ? examples : [this.schemaExample(file, raw)].filter((e) => e !== undefined);
    return schema || shown.length > 0 ? { schema, examples: shown } : undefined;
  }

  /** OpenAPI 3: the `application/json` entry of a `content` map. */
  private mediaBody(file: SourceFile, content: unknown): BodySource | undefined {
    if (!isObject(content)) return undefined;
    const media = this.spec.deref({ file, node: own(content, 'application/json') });
    if (!media || !isObject(media.node)) return undefined;
    const examples = mediaExamples(media.node).map((node) => ({ file: media.file, node }));
    return this.schemaBody(media.file, media.node.schema, examples) ?? { examples: [] };
  }

  /** Swagger 2.0 keeps the request body in a parameter `in: body`, OpenAPI 3 in `requestBody`. */
  private requestBody(op: Operation): BodySource | undefined {
    if (op.root.format === 'swagger-2.0') {
      const param = op.parameters.find((p) => p.node.in === 'body');
      return param ? this.schemaBody(param.file, param.node.schema, []) ?? { examples: [] } : undefined;
    }
    const body = this.spec.deref({ file: op.file, node: op.node.requestBody });
    return body && isObject(body.node) ? this.mediaBody(body.file, body.node.content) : undefined;
  }

  /** Swagger 2.0 gives a response `schema` and `examples` by MIME type, OpenAPI 3 a `content` map. */
  private responseBody(op: Operation, res: Located<Json>): BodySource | undefined {
    if (op.root.format !== 'swagger-2.0') return this.mediaBody(res.file, res.node.content);
    const byType = this.spec.deref({ file: res.file, node: res.node.examples });
    const examples = byType && isObject(byType.node) && hasOwn(byType.node, 'application/json')
      ? [{ file: byType.file, node: byType.node['application/json'] }] : [];
    return this.schemaBody(res.file, res.node.schema, examples);
  }

  /** The tables and highlighted examples of a body; its tables' ids start with `prefix`. */
  private bodyView(body: BodySource, prefix: string, title: string, claim: ClaimId): BodyView {
    const tables = this.tables(prefix, claim);
    if (body.schema && isObject(body.schema.node)) tables.type(body.schema.file, body.schema.node, title);
    return { tables: tables.tables, examples: body.examples.map((e) => this.example(e.file, e.node)) };
  }

  /** Swagger 2.0 writes a parameter's schema on the parameter itself, OpenAPI 3 under `schema`. */
  private parameterSchema(op: Operation, p: Located<Json>): SchemaLoc | undefined {
    if (op.root.format === 'swagger-2.0') return p;
    return this.schemaAt(p.file, p.node.schema);
  }

  private parameters(op: Operation, tables: SchemaTables): ParameterTable[] {
    return LOCATIONS.map((location) => ({
      location,
      rows: op.parameters.filter((p) => p.node.in === location).map((p) => {
        const schema = this.parameterSchema(op, p);
        const values = schema?.node.enum;
        return {
          name: String(p.node.name), required: p.node.required === true,
          type: schema ? tables.type(schema.file, schema.node, String(p.node.name)) : 'string',
          description: renderDescription(p.node.description, true),
          notes: versionNotes(p.node),
          enumValues: Array.isArray(values) ? values.map((v) => JSON.stringify(v)) : [],
        };
      }),
    })).filter((t) => t.rows.length > 0);
  }

  private responses(op: Operation, anchor: string, claim: ClaimId): ResponseView[] {
    const out: ResponseView[] = [];
    if (!isObject(op.node.responses)) return out;
    for (const [status, raw] of Object.entries(op.node.responses)) {
      const res = this.spec.deref({ file: op.file, node: raw });
      if (!res || !isObject(res.node)) continue;
      const id = claim(`${anchor}_response-${statusSlug(status)}`);
      const description = renderDescription(res.node.description);
      const view: ResponseView = { status, id, description, tables: [], examples: [] };
      const body = this.responseBody(op, res as Located<Json>);
      if (body) Object.assign(view, this.bodyView(body, id, `Response ${status}`, claim));
      out.push(view);
    }
    return out;
  }

  endpoint(op: Operation): EndpointView {
    return this.remembered(op.node, `${op.method} ${op.fullPath}`, () => this.newEndpoint(op));
  }

  private newEndpoint(op: Operation): EndpointView {
    const ids: string[] = [];
    const claim = this.claimer(ids);
    const anchor = this.ids.claimFromOne(endpointAnchor(op.method, op.fullPath));
    ids.push(anchor);
    const titleId = claim(`${anchor}-title`);
    const parameters = this.parameters(op, this.tables(anchor, claim));
    const body = this.requestBody(op);
    const request = body ? this.bodyView(body, `${anchor}_request`, 'Request body', claim) : noBody();
    const responses = this.responses(op, anchor, claim);
    return {
      anchor, titleId, ids, method: op.method.toUpperCase(), path: op.fullPath,
      operationId: String(op.node.operationId ?? ''),
      summary: typeof op.node.summary === 'string' ? op.node.summary : '',
      deprecated: op.node.deprecated === true, notes: versionNotes(op.node),
      rateLimited: isObject(op.node.responses) && '429' in op.node.responses,
      auth: authOf(op), description: renderDescription(op.node.description),
      parameters, requestTables: request.tables, requestExamples: request.examples, responses,
    };
  }

  /** An event's block; `name` is what its heading shows instead of the type (`m.text`). */
  event(type: string, options: { name?: string } = {}): EventView | undefined {
    return this.remembered(type, options.name ?? '', () => this.newEvent(type, options));
  }

  private newEvent(type: string, options: { name?: string }): EventView | undefined {
    const schema = this.spec.eventSchemas.find((e) => e.type === type);
    if (!schema) return undefined;
    const node = isObject(schema.node) ? schema.node : {};
    const ids: string[] = [];
    const claim = this.claimer(ids);
    const anchor = claim(eventAnchor(type) || 'event', '_');
    const titleId = claim(`${anchor}-title`);
    const tables = this.tables(anchor, claim);
    const resolved = this.copies.resolve(schema.file, schema.node) as Json;
    const isState = mentionsStateKey(resolved);
    const stateKey = isState && isObject(resolved.properties) && isObject(resolved.properties.state_key)
      ? renderDescription(resolved.properties.state_key.description, true) : '';
    const content = this.eventContent(schema.file, node);
    if (content) tables.table(content.file, content.node, 'Content');
    return {
      anchor, titleId, ids, type, name: options.name ?? type, stateKey,
      kind: isState ? 'State event' : 'Message event',
      title: typeof node.title === 'string' ? node.title : type,
      description: renderDescription(node.description), notes: versionNotes(node), tables: tables.tables,
      examples: schema.examples.map((e) => ({ name: exampleLabel(type, e.name), html: this.example(e.file, e.value) })),
    };
  }

  /** The schema of an event's `content`: its own, or one an envelope it inherits declares. */
  private eventContent(file: SourceFile, node: Json): SchemaLoc | undefined {
    const found = this.inheritedBy(file, node, ({ file: f, node: n }) => {
      const props = n.properties;
      return isObject(props) && hasOwn(props, 'content') ? { file: f, node: props.content } : undefined;
    });
    return found && this.schemaAt(found.file, found.node);
  }

  /**
   * Any schema of the tree as a block of its own: a title (`title`, else the schema's, else its
   * file's name), its description, its tables (allOf merged) and its example.
   */
  definition(file: SourceFile, node: unknown, title?: string): DefinitionView | undefined {
    return this.remembered(node, `${file.rel}\u0000${title ?? ''}`, () => this.newDefinition(file, node, title));
  }

  private newDefinition(file: SourceFile, node: unknown, title?: string): DefinitionView | undefined {
    const loc = this.schemaAt(file, node);
    if (!loc) return undefined;
    const ownTitle = this.inherited(loc.file, loc.node, 'title');
    const shown = title ?? (typeof ownTitle?.node === 'string' ? ownTitle.node : baseName(loc.file));
    const ids: string[] = [];
    const claim = this.claimer(ids);
    const anchor = claim(`definition-${slugId(shown, 'schema')}`);
    const titleId = claim(`${anchor}-title`);
    const tables = this.tables(anchor, claim);
    tables.type(loc.file, loc.node, shown);
    const description = this.inherited(loc.file, loc.node, 'description');
    const example = this.inherited(loc.file, loc.node, 'example');
    return {
      anchor, titleId, ids, title: shown,
      description: renderDescription(description?.node), notes: versionNotes(loc.node),
      tables: tables.tables, examples: example ? [{ name: '', html: this.example(example.file, example.node) }] : [],
    };
  }
}
