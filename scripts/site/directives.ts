import type { SourceFile } from '../core/source.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { own, readTreeBytes, readTreeText, TreeAccessError } from '../core/tree.js';
import type { Operation, Spec } from '../loader/model.js';
import type { Blocks, EndpointView } from './blocks.js';
import type { SiteFormat } from './formats.js';
import type { Directive } from './markdown.js';
import type { SiteTemplates } from './templates.js';

/**
 * Directives of our own pages (`::operation{id=…}`) and Hugo shortcodes of the upstream pages
 * (`{{% http-api … %}}`, rewritten by `shortcodes.ts` as `::http-api{…}`) are one table of
 * handlers: both produce the same blocks.
 */

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
  /** Adds a file to the site (a diagram's image). */
  addFile(path: string, content: Buffer): void;
  error(d: Directive, message: string): void;
}

/** A container directive's output: what goes before and after its rendered content. */
export interface Wrapper { open: string; close: string }

type Handler = (d: Directive, scope: DirectiveScope) => string | Wrapper;

function attribute(d: Directive, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = own(d.attributes, name);
    if (value !== undefined) return value;
  }
  return undefined;
}

function fail(d: Directive, scope: DirectiveScope, message: string): string {
  scope.error(d, message);
  return '';
}

function placeOne(op: Operation, d: Directive, scope: DirectiveScope): string {
  const already = scope.placed.get(op);
  const name = String(op.node.operationId ?? `${op.method.toUpperCase()} ${op.fullPath}`);
  if (already) return fail(d, scope, `${name} is already placed on ${already}; each endpoint appears once.`);
  scope.placed.set(op, scope.page.url);
  const view = scope.blocks.endpoint(op);
  scope.endpoints.push(view);
  scope.addBlock(view.ids);
  scope.linkEndpoint(op, scope.page.url, view.anchor);
  return scope.templates.endpoint(view);
}

function placeOperation(d: Directive, scope: DirectiveScope): string {
  const id = attribute(d, 'id') ?? '';
  const api = attribute(d, 'api') ?? scope.page.api;
  const op = scope.spec.operations.find((o) => o.node.operationId === id && (!api || o.api === api));
  const of = api ? ` of the ${api} API` : '';
  if (!op) return fail(d, scope, `::operation names "${id}", which is no operation${of}.`);
  return placeOne(op, d, scope);
}

/** Every operation of one API file, in the file's order: Hugo's `http-api spec=… api=…`. */
function placeApiFile(d: Directive, scope: DirectiveScope): string {
  const spec = attribute(d, 'spec') ?? '';
  const api = attribute(d, 'api') ?? '';
  const base = `data/api/${spec}/${api}`;
  const ops = scope.spec.operations.filter((o) => /\.(ya?ml|json)$/.test(o.root.file.rel)
    && o.root.file.rel.replace(/\.(ya?ml|json)$/, '') === base);
  if (!ops.length) {
    const known = scope.spec.roots.some((r) => r.file.rel.replace(/\.(ya?ml|json)$/, '') === base);
    return fail(d, scope, known ? `${base} defines no operations.`
      : `http-api names spec="${spec}" api="${api}", but there is no ${base}.yaml.`);
  }
  return ops.map((op) => placeOne(op, d, scope)).join('\n');
}

function placeEventType(type: string, d: Directive, scope: DirectiveScope, name?: string): string {
  const already = scope.placedEvents.get(type);
  if (already) return fail(d, scope, `${type} is already placed on ${already}; each event appears once.`);
  const view = scope.blocks.event(type, name === undefined ? undefined : { name });
  if (!view) return fail(d, scope, `::${d.name} names "${type}", which has no schema in data/event-schemas/schema/.`);
  scope.placedEvents.set(view.type, scope.page.url);
  scope.addBlock(view.ids);
  scope.linkEvent(view.type, scope.page.url, view.anchor);
  return scope.templates.event(view);
}

function placeEvent(d: Directive, scope: DirectiveScope): string {
  return placeEventType(attribute(d, 'type', 'event') ?? '', d, scope);
}

/** Event types in the order Hugo ranges over its data: sorted by code unit. */
function eventTypes(scope: DirectiveScope): string[] {
  return [...new Set(scope.spec.eventSchemas.map((e) => e.type))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Every event whose type starts with the group's name: `event-group group_name=m.call`. */
function placeEventGroup(d: Directive, scope: DirectiveScope): string {
  const group = attribute(d, 'group_name', 'group') ?? '';
  if (group === '') return fail(d, scope, 'event-group needs group_name="<prefix of event types>".');
  const types = eventTypes(scope).filter((t) => t.startsWith(group));
  if (!types.length) return fail(d, scope, `no event type starts with "${group}".`);
  return types.map((t) => placeEventType(t, d, scope)).join('\n');
}

/** The common message types first, then the others by name; server notices have their own section. */
const FIRST_MSGTYPES = ['m.text', 'm.emote', 'm.notice', 'm.image', 'm.file'];
const MESSAGE_PREFIX = 'm.room.message$';

function placeMsgtypes(d: Directive, scope: DirectiveScope): string {
  const others = eventTypes(scope).filter((t) => t.startsWith(MESSAGE_PREFIX))
    .map((t) => t.slice(MESSAGE_PREFIX.length))
    .filter((t) => !FIRST_MSGTYPES.includes(t) && t !== 'm.server_notice');
  const known = new Set(eventTypes(scope));
  const order = [...FIRST_MSGTYPES.filter((t) => known.has(MESSAGE_PREFIX + t)), ...others];
  return order.map((t) => placeEventType(MESSAGE_PREFIX + t, d, scope, t)).join('\n');
}

function placeFormats(d: Directive, scope: DirectiveScope): string {
  const already = scope.placedFormats.url;
  if (already) return fail(d, scope, `::string-formats is already placed on ${already}; the table appears once.`);
  scope.placedFormats.url = scope.page.url;
  const formats = [...scope.formats.values()];
  scope.addBlock(['string-format-table', ...formats.map((f) => f.id)]);
  return scope.templates.formats({ formats });
}

function dataFile(scope: DirectiveScope, path: string): SourceFile | undefined {
  const base = `data/${path}`;
  return scope.spec.files.find((f) => f.rel === `${base}.yaml` || f.rel === `${base}.yml` || f.rel === `${base}.json`);
}

function placeDefinition(d: Directive, scope: DirectiveScope, path: string, what: string): string {
  const file = /^[A-Za-z0-9_./$-]+$/.test(path) && !path.split('/').includes('..') ? dataFile(scope, path) : undefined;
  if (!file) return fail(d, scope, `${what} names data/${path}, which is no file of data/.`);
  const view = scope.blocks.definition(file, file.data);
  if (!view) return fail(d, scope, `data/${path} is not a schema that can be shown.`);
  scope.addBlock(view.ids);
  return scope.templates.partial('definition', view);
}

/** A schema of data/ as a block: `definition path=api/server-server/definitions/edu`. */
function definition(d: Directive, scope: DirectiveScope): string {
  return placeDefinition(d, scope, attribute(d, 'path') ?? '', 'definition');
}

/** The fields every event (or room event, state event) has: `event-fields event_type=room_event`. */
function eventFields(d: Directive, scope: DirectiveScope): string {
  const type = attribute(d, 'event_type') ?? '';
  return placeDefinition(d, scope, `event-schemas/schema/core-event-schema/${type}`, 'event-fields');
}

interface SasEmoji { number: number; emoji: string; unicode: string; description: string }

function isSasEmoji(value: unknown): value is SasEmoji {
  if (value === null || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return typeof e.number === 'number' && typeof e.emoji === 'string' && typeof e.description === 'string';
}

/** The SAS emoji table, from `data-definitions/sas-emoji.json`. */
function sasEmojis(d: Directive, scope: DirectiveScope): string {
  const rel = 'data-definitions/sas-emoji.json';
  let parsed: unknown;
  try {
    parsed = JSON.parse(readTreeText(scope.spec.root, join(scope.spec.root, rel)).text);
  } catch (err) {
    const why = err instanceof TreeAccessError ? err.message : `it is not JSON (${(err as Error).message})`;
    return fail(d, scope, `sas-emojis reads ${rel}: ${why}`);
  }
  if (!Array.isArray(parsed) || !parsed.every(isSasEmoji)) {
    return fail(d, scope, `${rel} must be a list of {number, emoji, unicode, description}.`);
  }
  return scope.templates.partial('sas-emojis', { emojis: parsed });
}

function diagram(d: Directive, scope: DirectiveScope): string {
  const name = attribute(d, 'name') ?? '';
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name)) return fail(d, scope, 'diagram needs name="<file in assets/diagrams/>".');
  for (const ext of ['png', 'svg']) {
    const rel = `assets/diagrams/${name}.${ext}`;
    const abs = join(scope.spec.root, rel);
    if (!existsSync(abs)) continue;
    let bytes: Buffer;
    try {
      bytes = readTreeBytes(scope.spec.root, abs);
    } catch (err) {
      if (err instanceof TreeAccessError) return fail(d, scope, `diagram ${name}: ${err.message}`);
      throw err;
    }
    scope.addFile(`diagrams/${name}.${ext}`, bytes);
    return scope.templates.partial('diagram', { src: `/diagrams/${name}.${ext}`, alt: attribute(d, 'alt') ?? '' });
  }
  return fail(d, scope, `diagram ${name}: there is no assets/diagrams/${name}.png or .svg.`);
}

const BOX_TITLES: Record<string, string> = { note: 'Note', warning: 'Warning', rationale: 'Rationale' };
const SPLIT = '\u0000mx-box-content\u0000';

/** `:::note` … `:::` (and Hugo's boxes/note): an aside around the content. */
function box(d: Directive, scope: DirectiveScope): Wrapper {
  const html = scope.templates.partial('box', { kind: d.name, title: BOX_TITLES[d.name], content: SPLIT });
  const at = html.indexOf(SPLIT);
  if (at === -1) return { open: html, close: '' };
  return { open: html.slice(0, at), close: html.slice(at + SPLIT.length) };
}

/** `:added-in{v=1.1}`, `:changed-in{this=true}`: a version label inside a sentence. */
function versionNote(d: Directive, scope: DirectiveScope): string {
  const verb = d.name === 'added-in' ? 'Added' : 'Changed';
  const version = attribute(d, 'v') ?? '';
  const text = attribute(d, 'this') === 'true' ? `${d.name === 'added-in' ? 'New' : 'Changed'} in this version`
    : `${verb} in v${version.replace(/^v/, '')}`;
  if (attribute(d, 'this') !== 'true' && version === '') return fail(d, scope, `${d.name} needs v="<version>".`);
  return scope.templates.partial('version-note', { text });
}

/** The directives a page may use, by name; looked up as own keys, so `::constructor` is unknown. */
const DIRECTIVES: Record<string, Handler> = {
  operation: placeOperation,
  'http-api': placeApiFile,
  event: placeEvent,
  'event-group': placeEventGroup,
  msgtypes: placeMsgtypes,
  'event-fields': eventFields,
  definition,
  'string-formats': placeFormats,
  'sas-emojis': sasEmojis,
  // The published site fetches the proposals list from GitHub at build time; ours works offline.
  'proposal-tables': (_d, scope) => scope.templates.partial('offline-note', {
    text: 'The tables of proposals are fetched from GitHub when the published site is built; '
      + 'this build works offline, so they are not shown here.',
  }),
  diagram,
  note: box,
  warning: box,
  rationale: box,
  'added-in': versionNote,
  'changed-in': versionNote,
};

/** The output for one directive, or '' after reporting why there is none. */
export function runDirective(d: Directive, scope: DirectiveScope): string | Wrapper {
  const handler = own(DIRECTIVES, d.name);
  if (!handler) {
    return fail(d, scope, `unknown directive "::${d.name}" (known: ${Object.keys(DIRECTIVES).join(', ')}).`);
  }
  return handler(d, scope);
}
