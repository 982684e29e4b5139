import { own } from '../core/tree.js';
import type { Operation, Spec } from '../loader/model.js';
import type { Blocks, EndpointView } from './blocks.js';
import type { SiteFormat } from './formats.js';
import type { Directive } from './markdown.js';
import type { SiteTemplates } from './templates.js';

/** What a directive handler may use and record while one page is rendered. */
export interface DirectiveScope {
  spec: Spec;
  blocks: Blocks;
  templates: SiteTemplates;
  formats: ReadonlyMap<string, SiteFormat>;
  /** The page being rendered: its URL and the API it documents. */
  page: { url: string; api?: string };
  /** Where each operation, event and the formats table is placed so far (site-wide). */
  placed: Map<Operation, string>;
  placedEvents: Map<string, string>;
  placedFormats: { url?: string };
  /** The page's endpoint views, for its sidebar. */
  endpoints: EndpointView[];
  /** Records the ids a block uses on this page: prose headings give way to them. */
  addBlock(ids: readonly string[]): void;
  linkEndpoint(op: Operation, url: string, anchor: string): void;
  linkEvent(type: string, url: string, anchor: string): void;
  error(d: Directive, message: string): void;
}

type Handler = (d: Directive, scope: DirectiveScope) => string;

function placeOperation(d: Directive, scope: DirectiveScope): string {
  const id = own(d.attributes, 'id') ?? '';
  const api = own(d.attributes, 'api') ?? scope.page.api;
  const op = scope.spec.operations.find((o) => o.node.operationId === id && (!api || o.api === api));
  const of = api ? ` of the ${api} API` : '';
  if (!op) return fail(d, scope, `::operation names "${id}", which is no operation${of}.`);
  const already = scope.placed.get(op);
  const name = String(op.node.operationId);
  if (already) return fail(d, scope, `${name} is already placed on ${already}; each endpoint appears once.`);
  scope.placed.set(op, scope.page.url);
  const view = scope.blocks.endpoint(op);
  scope.endpoints.push(view);
  scope.addBlock(view.ids);
  scope.linkEndpoint(op, scope.page.url, view.anchor);
  return scope.templates.endpoint(view);
}

function placeEvent(d: Directive, scope: DirectiveScope): string {
  const type = own(d.attributes, 'type');
  const already = type === undefined ? undefined : scope.placedEvents.get(type);
  if (already) return fail(d, scope, `${type} is already placed on ${already}; each event appears once.`);
  const view = type ? scope.blocks.event(type) : undefined;
  if (!view) {
    return fail(d, scope, `::event names "${type ?? ''}", which has no schema in data/event-schemas/schema/.`);
  }
  scope.placedEvents.set(view.type, scope.page.url);
  scope.addBlock(view.ids);
  scope.linkEvent(view.type, scope.page.url, view.anchor);
  return scope.templates.event(view);
}

function placeFormats(d: Directive, scope: DirectiveScope): string {
  const already = scope.placedFormats.url;
  if (already) return fail(d, scope, `::string-formats is already placed on ${already}; the table appears once.`);
  scope.placedFormats.url = scope.page.url;
  const formats = [...scope.formats.values()];
  scope.addBlock(['string-format-table', ...formats.map((f) => f.id)]);
  return scope.templates.formats({ formats });
}

function fail(d: Directive, scope: DirectiveScope, message: string): string {
  scope.error(d, message);
  return '';
}

/** The directives a page may use, by name; looked up as own keys, so `::constructor` is unknown. */
const DIRECTIVES: Record<string, Handler> = {
  operation: placeOperation,
  event: placeEvent,
  'string-formats': placeFormats,
};

/** The block for one directive, or '' after reporting why there is none. */
export function runDirective(d: Directive, scope: DirectiveScope): string {
  const handler = own(DIRECTIVES, d.name);
  if (!handler) {
    return fail(d, scope, `unknown directive "::${d.name}" (known: ${Object.keys(DIRECTIVES).join(', ')}).`);
  }
  return handler(d, scope);
}
