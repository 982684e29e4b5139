import { isEventSchema } from '../loader/event-kind.js';
import type { Spec } from '../loader/model.js';
import { isObject } from '../loader/pointer.js';
import { docText, DocumentBundler, typeName } from '../loader/bundle.js';

/** `m.room.join_rules` → `RoomJoinRulesEvent`. */
export function eventTypeName(type: string): string {
  return `${typeName(type)}Event`;
}

/**
 * The document openapi-typescript turns into event types: each event schema, and the shared
 * envelopes under core-event-schema/, as named components.
 */
export function eventsDocument(spec: Spec, version: string): { doc: object; events: { type: string; name: string }[]; aliases: { alias: string; name: string }[] } {
  const bundler = new DocumentBundler(spec);
  // Every schema of the folder gets its named type; only real events join the map and union.
  const named = spec.eventSchemas.map((e) => ({ schema: e, name: bundler.component(e.file, e.node, eventTypeName(e.type)) }));
  const events = named
    .filter(({ schema }) => isEventSchema(spec, schema.file, schema.node))
    .map(({ schema, name }) => ({ type: eventType(schema.type, schema.node), name }));
  for (const file of spec.files) {
    if (/^data\/event-schemas\/schema\/core-event-schema\/[^/]+\.(ya?ml|json)$/.test(file.rel) && file.parsed) bundler.component(file, file.data);
  }
  // A schema named after its title elsewhere still gets the name its event type gives it.
  const aliases = named.filter(({ schema, name }) => name !== eventTypeName(schema.type)).map(({ schema, name }) => ({ alias: eventTypeName(schema.type), name }));
  return { doc: { openapi: '3.1.0', info: { title: 'Matrix events', version }, paths: {}, components: { schemas: bundler.schemas } }, events, aliases };
}

/**
 * The `type` an event schema's events carry: its `type` enum or const, else its file name up to a
 * `$variant` suffix (m.room.message$m.text is an m.room.message).
 */
function eventType(name: string, node: unknown): string {
  const type = isObject(node) && isObject(node.properties) ? node.properties.type : undefined;
  if (isObject(type) && Array.isArray(type.enum) && typeof type.enum[0] === 'string') return type.enum[0];
  if (isObject(type) && typeof type.const === 'string') return type.const;
  return name.split('$')[0]!;
}

/** What the events module adds to the generated components: the map and the union. */
export function eventsFooter(events: { type: string; name: string }[], aliases: { alias: string; name: string }[] = []): string {
  const sorted = [...events].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.name < b.name ? -1 : 1));
  // Variants of one type (each msgtype of m.room.message) share its entry, as a union.
  const byType = new Map<string, string[]>();
  for (const e of sorted) byType.set(e.type, [...(byType.get(e.type) ?? []), e.name]);
  const lines = [
    '',
    '/** Every event type of the spec, mapped to the type of its `content`. */',
    'export interface EventContentMap {',
    ...[...byType].map(([type, names]) => `    ${JSON.stringify(type)}: ${names.map((n) => `${n}["content"]`).join(' | ')};`),
    '}',
    '',
    '/** Every event type of the spec, mapped to the type of the whole event. */',
    'export interface EventTypeMap {',
    ...[...byType].map(([type, names]) => `    ${JSON.stringify(type)}: ${names.join(' | ')};`),
    '}',
    '',
    '/** Any event the spec defines; narrow it by checking `type`. */',
    `export type MatrixEvent = ${sorted.length ? sorted.map((e) => e.name).join(' | ') : 'never'};`,
    '',
    ...sorted.map((e) => `/** The \`content\` of an \`${docText(e.type)}\` event. */\nexport type ${e.name}Content = ${e.name}["content"];`),
    '',
    ...aliases.map((a) => `export type ${a.alias} = ${a.name};`),
    '',
  ];
  return lines.join('\n');
}
