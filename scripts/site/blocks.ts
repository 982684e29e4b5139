import { createRequire } from 'node:module';
import type { Operation, Spec } from '../loader/model.js';
import { isObject } from '../loader/pointer.js';
import { copiesOf, type Copies } from '../loader/copies.js';
import type { SiteFormat } from './formats.js';
import { endpointAnchor, eventAnchor, IdRegistry, LAYOUT_IDS, slugId } from './ids.js';
import { renderDescription } from './markdown.js';
import { SchemaTables, versionNotes, type Table } from './schema-view.js';

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
    html = hljs.highlight(text, { language: 'json' }).value;
    if (highlighted.size > 5000) highlighted.clear();
    highlighted.set(text, html);
  }
  return html;
}

export interface ParameterTable { location: string; rows: Table['rows'] }

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
  responses: { status: string; id: string; description: string; tables: Table[]; examples: string[] }[];
}

export interface EventView {
  anchor: string;
  titleId: string;
  ids: string[];
  type: string;
  kind: string;
  stateKey: string;
  title: string;
  description: string;
  notes: string[];
  tables: Table[];
  examples: { name: string; html: string }[];
}

const LOCATIONS = ['path', 'query', 'header', 'cookie'] as const;

/** Whether the operation needs an access token: required, optional (an empty alternative) or not. */
function authOf(op: Operation): string {
  const security = op.node.security ?? op.root.doc.security;
  if (!Array.isArray(security) || security.length === 0) return 'No';
  const names = security.flatMap((s) => (isObject(s) ? Object.keys(s) : []));
  if (security.some((s) => isObject(s) && Object.keys(s).length === 0)) return names.length ? `Optional (${names.join(', ')})` : 'No';
  return `Yes (${names.join(', ')})`;
}

function mediaExamples(media: Json): unknown[] {
  const out: unknown[] = [];
  if ('example' in media) out.push(media.example);
  if (isObject(media.examples)) for (const e of Object.values(media.examples)) if (isObject(e) && 'value' in e) out.push(e.value);
  return out;
}

/**
 * Views of endpoints and events for the templates; one instance per build (examples resolved
 * once). Every id a block uses is unique across the site, and none is one of the layout's: a
 * route defined twice (a lint error) or two event types that differ only in punctuation still
 * get distinct anchors.
 */
export class Blocks {
  private readonly copies: Copies;
  private readonly ids: IdRegistry;

  /** `layoutIds` are the ids the layout uses besides the usual ones; no block takes them. */
  constructor(
    private readonly spec: Spec,
    private readonly formats: ReadonlyMap<string, SiteFormat>,
    layoutIds: Iterable<string> = [],
  ) {
    this.copies = copiesOf(spec);
    this.ids = new IdRegistry([...LAYOUT_IDS, ...layoutIds]);
  }

  /** A claim function that also records the ids of one block. */
  private claimer(into: string[]): (base: string, sep?: string) => string {
    return (base, sep) => { const id = this.ids.claim(base, sep); into.push(id); return id; };
  }

  private tables(prefix: string, claim: (base: string) => string): SchemaTables {
    return new SchemaTables(this.spec, prefix, this.formats, claim);
  }

  endpoint(op: Operation): EndpointView {
    const ids: string[] = [];
    const claim = this.claimer(ids);
    let base = endpointAnchor(op.method, op.fullPath);
    if (this.ids.has(base)) base = `${base}_${endpointAnchor('', String(op.node.operationId ?? ''))}`;
    const anchor = claim(base, '_');
    const titleId = claim(`${anchor}-title`);
    const tables = this.tables(anchor, claim);
    const parameters: ParameterTable[] = LOCATIONS.map((location) => ({
      location,
      rows: op.parameters.filter((p) => p.node.in === location).map((p) => {
        const schema = this.spec.deref({ file: p.file, node: p.node.schema });
        return {
          name: String(p.node.name), required: p.node.required === true,
          type: schema && isObject(schema.node) ? tables.type(schema.file, schema.node, String(p.node.name)) : 'string',
          description: renderDescription(p.node.description, true),
          notes: versionNotes(p.node),
          enumValues: schema && isObject(schema.node) && Array.isArray(schema.node.enum) ? schema.node.enum.map((v) => JSON.stringify(v)) : [],
        };
      }),
    })).filter((t) => t.rows.length > 0);

    const bodyLoc = this.spec.deref({ file: op.file, node: op.node.requestBody });
    let requestTables: Table[] = [];
    let requestExamples: string[] = [];
    if (bodyLoc && isObject(bodyLoc.node) && isObject(bodyLoc.node.content)) {
      const media = this.spec.deref({ file: bodyLoc.file, node: bodyLoc.node.content['application/json'] });
      if (media && isObject(media.node)) {
        const bodyTables = this.tables(`${anchor}_request`, claim);
        const schema = this.spec.deref({ file: media.file, node: media.node.schema });
        if (schema && isObject(schema.node)) bodyTables.type(schema.file, schema.node, 'Request body');
        requestTables = bodyTables.tables;
        requestExamples = mediaExamples(media.node).map((e) => highlightJson(this.copies.resolve(media.file, e)));
      }
    }
    const responses: EndpointView['responses'] = [];
    if (isObject(op.node.responses)) {
      for (const [status, raw] of Object.entries(op.node.responses)) {
        const res = this.spec.deref({ file: op.file, node: raw });
        if (!res || !isObject(res.node)) continue;
        const id = claim(`${anchor}_response-${/^[A-Za-z0-9]+$/.test(status) ? status : slugId(status, 'other')}`);
        const description = renderDescription(res.node.description);
        const view = { status, id, description, tables: [] as Table[], examples: [] as string[] };
        const content = res.node.content;
        const media = isObject(content) ? this.spec.deref({ file: res.file, node: content['application/json'] }) : undefined;
        if (media && isObject(media.node)) {
          const t = this.tables(id, claim);
          const schema = this.spec.deref({ file: media.file, node: media.node.schema });
          if (schema && isObject(schema.node)) t.type(schema.file, schema.node, `Response ${status}`);
          view.tables = t.tables;
          view.examples = mediaExamples(media.node).map((e) => highlightJson(this.copies.resolve(media.file, e)));
        }
        responses.push(view);
      }
    }
    return {
      anchor, titleId, ids, method: op.method.toUpperCase(), path: op.fullPath,
      operationId: String(op.node.operationId ?? ''),
      summary: typeof op.node.summary === 'string' ? op.node.summary : '',
      deprecated: op.node.deprecated === true, notes: versionNotes(op.node),
      rateLimited: isObject(op.node.responses) && '429' in op.node.responses,
      auth: authOf(op), description: renderDescription(op.node.description),
      parameters, requestTables, requestExamples, responses,
    };
  }

  event(type: string): EventView | undefined {
    const schema = this.spec.eventSchemas.find((e) => e.type === type);
    if (!schema) return undefined;
    const node = isObject(schema.node) ? schema.node : {};
    const ids: string[] = [];
    const claim = this.claimer(ids);
    const anchor = claim(eventAnchor(type) || 'event', '_');
    const titleId = claim(`${anchor}-title`);
    const tables = this.tables(anchor, claim);
    const resolved = this.copies.resolve(schema.file, schema.node) as Json;
    const flat = JSON.stringify(resolved);
    const isState = flat.includes('"state_key"');
    const stateKey = isState && isObject(resolved.properties) && isObject(resolved.properties.state_key) ? renderDescription(resolved.properties.state_key.description, true) : '';
    const content = isObject(node.properties) ? node.properties.content : undefined;
    const contentLoc = content === undefined ? undefined : this.spec.deref({ file: schema.file, node: content });
    if (contentLoc && isObject(contentLoc.node)) tables.table(contentLoc.file, contentLoc.node, 'Content');
    return {
      anchor, titleId, ids, type, kind: isState ? 'State event' : 'Message event', stateKey,
      title: typeof node.title === 'string' ? node.title : type,
      description: renderDescription(node.description), notes: versionNotes(node), tables: tables.tables,
      examples: schema.examples.map((e) => ({ name: e.name, html: highlightJson(this.copies.resolve(e.file, e.value)) })),
    };
  }
}

