import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SourceFile } from '../core/source.js';
import { copiesOf } from '../loader/copies.js';
import { loadSpec } from '../loader/load.js';
import type { Spec } from '../loader/model.js';
import type { Located } from '../loader/refs.js';
import { isObject } from '../loader/pointer.js';
import { REPO, V12, V19 } from '../testing/support.js';
import { propertyNames } from '../reference/compare.js';
import { Blocks, highlightJson, highlightJsonWithHljs, type EndpointView } from './blocks.js';
import { siteFormats } from './formats.js';
import { IdRegistry } from './ids.js';

const FIXTURES = join(REPO, 'scripts', 'site', 'fixtures');
const SWAGGER2 = join(FIXTURES, 'swagger2');
const OPENAPI31 = join(FIXTURES, 'openapi31');
const v12Skip = existsSync(V12) ? false
  : `${V12} is absent (it comes with CI, not with a clone), so the v1.2 tree cannot be read`;

function blocksOf(spec: Spec): Blocks {
  return new Blocks(spec, siteFormats(spec).formats);
}

/** Every operation's view, in the order the loader lists them, from one Blocks (so ids are numbered as on a site). */
function endpoints(spec: Spec): Map<string, EndpointView> {
  const blocks = blocksOf(spec);
  return new Map(spec.operations.map((op) => [String(op.node.operationId), blocks.endpoint(op)]));
}

function fileOf(spec: Spec, rel: string): SourceFile {
  const file = spec.files.find((f) => f.rel === rel);
  assert.ok(file, `${rel} is loaded`);
  return file;
}


/** An event schema's `content`, its own or inherited through `allOf`. */
function contentOf(spec: Spec, file: SourceFile, node: unknown, seen = new Set<unknown>()): Located | undefined {
  const loc = spec.deref({ file, node });
  if (!loc || !isObject(loc.node) || seen.has(loc.node)) return undefined;
  seen.add(loc.node);
  const props = loc.node.properties;
  if (isObject(props) && props.content !== undefined) return { file: loc.file, node: props.content };
  for (const b of Array.isArray(loc.node.allOf) ? loc.node.allOf : []) {
    const found = contentOf(spec, loc.file, b, seen);
    if (found) return found;
  }
  return undefined;
}

test('blocks: one operation written in Swagger 2.0 and in OpenAPI 3.1 gives the same endpoint view', () => {
  const swagger = endpoints(loadSpec(SWAGGER2)).get('setLamp')!;
  const openapi = endpoints(loadSpec(OPENAPI31)).get('setLamp')!;
  assert.deepEqual(swagger, openapi);
  // And that view is complete, not equally empty.
  const parameters = swagger.parameters.map((t) => [t.location, t.rows.map((r) => r.name)]);
  assert.deepEqual(parameters, [['path', ['roomId', 'lampId']], ['query', ['mode']]]);
  assert.deepEqual(swagger.parameters[1]!.rows[0]!.enumValues, ['"soft"', '"bright"']);
  assert.deepEqual(swagger.requestTables.map((t) => [t.title, t.rows.map((r) => r.name)]), [
    ['LampSettings', ['colour', 'schedule', 'tags']], ['LampSchedule', ['on_at', 'off_at']],
  ]);
  const link = '<a href="#put_matrixclientv3roomsroomidlampslampid_request_lampschedule">LampSchedule</a>';
  assert.equal(swagger.requestTables[0]!.rows[1]!.type, link);
  const schedule = swagger.requestTables[0]!.rows[1]!;
  assert.equal(schedule.description, 'The hours the lamp keeps.', 'the text beside the $ref');
  assert.match(swagger.requestTables[1]!.description, /When the lamp turns on and off/);
  assert.deepEqual(swagger.requestTables[1]!.rows[1]!.notes, ['Added in v1.2']);
  assert.equal(swagger.requestExamples.length, 1);
  assert.match(swagger.requestExamples[0]!, /amber/);
  const responses = swagger.responses.map((r) => [r.status, r.tables.map((t) => t.title), r.examples.length]);
  assert.deepEqual(responses, [['200', ['LampState'], 1], ['400', ['Error'], 0], ['429', ['RateLimitError'], 0]]);
  assert.match(swagger.responses[0]!.examples[0]!, /hljs-literal/, 'the example file the response refers to is shown');
  // v1.2's rate_limited.yaml extends error.yaml with a `$ref` beside its own properties: it
  // inherits `required` from there, as the OpenAPI fixture's allOf does.
  const rateLimit = swagger.responses[2]!.tables[0]!.rows;
  const expected = [['errcode', true], ['error', false], ['retry_after_ms', false]];
  assert.deepEqual(rateLimit.map((r) => [r.name, r.required]), expected);
  assert.equal(swagger.rateLimited, true);
  assert.equal(swagger.auth, 'Yes');
});

test('blocks: a route defined twice numbers its second anchor -1, as the published site does', () => {
  for (const root of [SWAGGER2, OPENAPI31]) {
    const views = endpoints(loadSpec(root));
    assert.equal(views.get('setLamp')!.anchor, 'put_matrixclientv3roomsroomidlampslampid');
    assert.equal(views.get('setLampByName')!.anchor, 'put_matrixclientv3roomsroomidlampslampid-1');
    assert.equal(views.get('setLampByName')!.titleId, 'put_matrixclientv3roomsroomidlampslampid-1-title');
    const all = [...views.values()].flatMap((v) => v.ids);
    assert.equal(new Set(all).size, all.length, 'no id is used twice');
  }
  const registry = new IdRegistry(['x', 'x-1', 'y-2']);
  assert.equal(registry.claimFromOne('x'), 'x-2');
  assert.equal(registry.claimFromOne('y'), 'y');
  assert.equal(registry.claimFromOne('y'), 'y-1');
  assert.equal(registry.claimFromOne('y'), 'y-3');
  assert.equal(registry.claim('z'), 'z', 'claim keeps its own numbering');
  assert.equal(registry.claim('z'), 'z-2');
});

test('blocks: a definition shows its title, description, merged table and example', () => {
  const spec = loadSpec(SWAGGER2);
  const blocks = blocksOf(spec);
  const file = fileOf(spec, 'data/api/client-server/definitions/lamp_event.yaml');
  const view = blocks.definition(file, file.data)!;
  assert.equal(view.anchor, 'definition-lampevent');
  assert.equal(view.title, 'LampEvent');
  assert.match(view.description, /A lamp changing state/);
  assert.deepEqual(view.tables.map((t) => [t.title, t.rows.map((r) => r.name), t.rows.map((r) => r.required)]), [
    ['LampEvent', ['room_id', 'lamp_id'], [true, true]],
  ]);
  assert.equal(view.examples.length, 1);
  assert.match(view.examples[0]!.html, /desk/, 'the example file is resolved');
  assert.deepEqual(view.ids, [view.anchor, view.titleId, view.tables[0]!.anchor]);
  const again = blocks.definition(file, file.data, 'Lamp events')!;
  assert.equal(again.title, 'Lamp events');
  assert.equal(again.anchor, 'definition-lamp-events');
  assert.equal(blocks.definition(file, 'not a schema'), undefined);
  const base = fileOf(spec, 'data/api/client-server/definitions/lamp_base.yaml');
  assert.deepEqual(blocks.definition(base, base.data)!.examples, [], 'a schema without an example has none');
});

test('highlightJson: the fast path gives highlight.js\'s markup exactly', () => {
  const odd: unknown[] = [
    { "a'b": '<&>"\'', '\u2028': '\u0001\ud800' },
    { 'x\\': ['\\', '\\"', -0, 1e-7, 1e21, -1.5e300, true, false, null, {}, [], [[]]] },
    'text', 12, null, true, '', 'a"state_key', { '': '' }, { 'k:': ': v', '"': '\n\t' }, undefined,
  ];
  for (const value of odd) assert.equal(highlightJson(value), highlightJsonWithHljs(value), JSON.stringify(value));
  const roots = [SWAGGER2, OPENAPI31, V12, V19].filter((r) => existsSync(r));
  for (const root of roots) {
    const spec = loadSpec(root);
    const copies = copiesOf(spec);
    for (const e of spec.examples) {
      const value = copies.resolve(e.file, e.value);
      assert.equal(highlightJson(value), highlightJsonWithHljs(value), `${root}: ${e.context}`);
    }
  }
});

test('blocks: v1.2 (Swagger 2.0) endpoints show their request and response bodies', { skip: v12Skip }, () => {
  const spec = loadSpec(V12);
  const blocks = blocksOf(spec);
  const views = spec.operations.map((op) => ({ op, view: blocks.endpoint(op) }));
  let bodies = 0;
  let oks = 0;
  for (const { op, view } of views) {
    const where = `${view.method} ${view.path}`;
    const body = op.parameters.find((p) => p.node.in === 'body');
    if (body) {
      bodies++;
      // A free-form object or raw bytes has no properties to list: its example shows it instead.
      const declared = propertyNames(spec, body.file, body.node.schema).size > 0;
      if (declared) assert.ok(view.requestTables[0]?.rows.length, `${where}: request table`);
      else assert.ok(view.requestExamples.length > 0, `${where}: request example`);
    }
    const ok = isObject(op.node.responses) ? spec.deref({ file: op.file, node: op.node.responses['200'] }) : undefined;
    const schema = ok && isObject(ok.node) ? spec.deref({ file: ok.file, node: ok.node.schema }) : undefined;
    // `type: file` is a download, not JSON: there is nothing to tabulate or exemplify.
    if (schema && isObject(schema.node) && schema.node.type !== 'file') {
      oks++;
      const shown = view.responses.find((r) => r.status === '200')!;
      assert.ok(shown.tables.length > 0 || shown.examples.length > 0, `${where}: 200 table or example`);
    }
  }
  assert.ok(bodies > 80 && oks > 150, `${bodies} body parameters and ${oks} 200 responses were checked`);
  const invites = views.filter(({ view }) => view.anchor.startsWith('post_matrixclientv3roomsroomidinvite'));
  assert.deepEqual(invites.map(({ view }) => [view.operationId, view.anchor]), [
    ['inviteUser', 'post_matrixclientv3roomsroomidinvite'], ['inviteBy3PID', 'post_matrixclientv3roomsroomidinvite-1'],
  ]);
  const limited = invites[0]!.view.responses.find((r) => r.status === '429')!.tables[0]!;
  assert.equal(limited.title, 'RateLimitError', 'rate_limited.yaml, not the error.yaml it extends');
  assert.ok(limited.rows.some((r) => r.name === 'retry_after_ms'));
  const ids = views.flatMap(({ view }) => view.ids);
  assert.equal(new Set(ids).size, ids.length, 'every id is unique');
});

test('blocks: v1.2 events list every content property, envelopes resolved, and take a display name', {
  skip: v12Skip,
}, () => {
  const spec = loadSpec(V12);
  const blocks = blocksOf(spec);
  let checked = 0;
  for (const schema of spec.eventSchemas) {
    const content = contentOf(spec, schema.file, schema.node);
    if (!content) continue;
    const view = blocks.event(schema.type)!;
    const names = propertyNames(spec, content.file, content.node);
    if (names.size === 0) continue;
    checked++;
    assert.deepEqual(new Set(view.tables[0]!.rows.map((r) => r.name)), names, schema.type);
  }
  assert.ok(checked > 50, `${checked} events checked`);
  const fresh = blocksOf(spec);
  const text = fresh.event('m.room.message$m.text', { name: 'm.text' })!;
  assert.equal(text.name, 'm.text');
  assert.equal(text.type, 'm.room.message$m.text');
  assert.equal(text.anchor, 'mtext');
  const member = fresh.event('m.room.member')!;
  assert.equal(member.name, 'm.room.member');
  assert.equal(member.kind, 'State event');
});

test('blocks: v1.2 definitions: the EDU and the room event envelope', { skip: v12Skip }, () => {
  const spec = loadSpec(V12);
  const blocks = blocksOf(spec);
  const edu = fileOf(spec, 'data/api/server-server/definitions/edu.yaml');
  const view = blocks.definition(edu, edu.data)!;
  assert.equal(view.title, 'Ephemeral Data Unit');
  assert.equal(view.anchor, 'definition-ephemeral-data-unit');
  assert.deepEqual(view.tables[0]!.rows.map((r) => r.name), ['edu_type', 'content']);
  assert.equal(view.examples.length, 1);
  assert.match(view.examples[0]!.html, /edu_type/);
  const room = fileOf(spec, 'data/event-schemas/schema/core-event-schema/room_event.yaml');
  const envelope = blocks.definition(room, room.data)!;
  assert.equal(envelope.title, 'RoomEvent');
  const rows = new Set(envelope.tables[0]!.rows.map((r) => r.name));
  for (const name of propertyNames(spec, room, room.data)) assert.ok(rows.has(name), `RoomEvent lists ${name}`);
  assert.ok(rows.has('type') && rows.has('room_id'), 'own and inherited fields');
});
