import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSpec } from './loader/load.js';
import type { Operation, Spec } from './loader/model.js';
import { isObject } from './loader/pointer.js';
import { Copies } from './loader/copies.js';
import { REPO, SHARED, sharedSkip } from './testing/support.js';

// The first slice of the v1.2 spec, as the loader issue lists it.
const spec: Spec = loadSpec(REPO);
const copies = new Copies(spec);
const byId = (id: string): Operation => {
  const op = spec.operations.find((o) => o.node.operationId === id);
  assert.ok(op, `operation ${id} exists`);
  return op;
};
/** The operation with every $ref followed, for reading nested schemas. */
const resolved = (id: string) => copies.resolve(byId(id).file, byId(id).node) as Record<string, any>;
const jsonBody = (op: Record<string, any>) => op.requestBody.content['application/json'].schema;
const jsonResponse = (op: Record<string, any>, status: string) => op.responses[status].content['application/json'].schema;
/** Property names of a schema, allOf branches included. */
const propertyNames = (schema: Record<string, any>): string[] => [
  ...Object.keys(schema.properties ?? {}),
  ...(schema.allOf ?? []).flatMap((s: Record<string, any>) => propertyNames(s)),
];

const SLICE = [
  'knockRoom', 'joinRoom', 'joinRoomById', 'leaveRoom', 'forgetRoom', 'login', 'getLoginFlows', 'uploadKeys', 'claimKeys', 'sync',
  'uploadCrossSigningKeys', 'createRoom', 'makeKnock', 'sendKnock', 'sendJoinV2',
  'postRoomKeysVersion', 'getRoomKeysVersionCurrent', 'getRoomKeysVersion', 'putRoomKeysVersion', 'deleteRoomKeysVersion',
  'putRoomKeyBySessionId', 'getRoomKeyBySessionId', 'deleteRoomKeyBySessionId', 'putRoomKeysByRoomId', 'getRoomKeysByRoomId',
  'deleteRoomKeysByRoomId', 'putRoomKeys', 'getRoomKeys', 'deleteRoomKeys',
];

test('slice: every operation of the first slice is present, with docs and tags', () => {
  for (const id of SLICE) {
    const op = byId(id);
    assert.ok(typeof op.node.summary === 'string' && typeof op.node.description === 'string', `${id} is documented`);
  }
});

test('slice: method, full path and operationId agree with the published v1.2 spec', { skip: sharedSkip }, () => {
  const rows = readFileSync(join(SHARED, 'reference', 'matrix-v1.2', 'operations.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const reference = new Map(rows.map(([api, , method, path, id]) => [`${api} ${id}`, `${method} ${path}`]));
  const wrong = spec.operations
    .map((o) => [`${o.api} ${String(o.node.operationId)}`, `${o.method.toUpperCase()} ${o.fullPath}`] as const)
    .filter(([key, route]) => reference.get(key) !== route)
    .map(([key, route]) => `${key}: ours ${route}, reference ${reference.get(key) ?? 'has no such operation'}`);
  assert.deepEqual(wrong, []);
});

test('slice: knocking in /sync, fallback keys and the rest of the new v1.2 fields are in the schemas', () => {
  const sync = jsonResponse(resolved('sync'), '200');
  assert.ok(propertyNames(sync.properties.rooms).includes('knock'), '/sync has rooms.knock');
  const knocked = sync.properties.rooms.properties.knock.additionalProperties;
  assert.ok(propertyNames(knocked).includes('knock_state'));
  for (const field of ['device_unused_fallback_key_types', 'device_one_time_keys_count', 'device_lists', 'to_device']) {
    assert.ok(propertyNames(sync).includes(field), `/sync has ${field}`);
  }
  assert.ok(propertyNames(jsonBody(resolved('uploadKeys'))).includes('fallback_keys'));
  assert.ok(propertyNames(jsonBody(resolved('uploadCrossSigningKeys'))).includes('auth'));
  assert.ok(propertyNames(jsonResponse(resolved('sendJoinV2'), '200')).includes('event'));
  assert.ok(JSON.stringify(jsonBody(resolved('login'))).includes('m.login.application_service'));
});

test('slice: the restricted-join error codes and the join rules event', () => {
  const text = spec.files.filter((f) => f.rel.startsWith('data/api/')).map((f) => f.text).join('\n');
  for (const code of ['M_UNABLE_TO_AUTHORISE_JOIN', 'M_UNABLE_TO_GRANT_JOIN']) assert.ok(text.includes(code), code);
  const joinRules = spec.eventSchemas.find((e) => e.type === 'm.room.join_rules')!;
  const content = (copies.resolve(joinRules.file, joinRules.node) as Record<string, any>).properties.content;
  assert.deepEqual([...content.properties.join_rule.enum].sort(), ['invite', 'knock', 'private', 'public', 'restricted']);
  assert.equal(content.properties.allow.items.properties.type.enum[0], 'm.room_membership');
  const member = spec.eventSchemas.find((e) => e.type === 'm.room.member')!;
  const memberContent = (copies.resolve(member.file, member.node) as Record<string, any>).properties.content;
  assert.ok(memberContent.properties.membership.enum.includes('knock'));
  assert.ok('join_authorised_via_users_server' in memberContent.properties);
});

test('slice: each identifier format of the grammar is defined with a title, a url and a regex that works', () => {
  const cases: [string, string[], string[]][] = [
    ['mx-user-id', ['@alice:example.org', '@bob:[::1]:8448'], ['alice', '@alice', '!room:example.org']],
    ['mx-room-id', ['!abc:example.org'], ['#abc:example.org', '!abc']],
    ['mx-room-alias', ['#coffee:example.org'], ['!coffee:example.org']],
    ['mx-event-id', ['$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg', '$143273582443PhrSn:example.org'], ['Rqnc', '$']],
    ['mx-server-name', ['example.org', 'matrix.example.org:8448', '1.2.3.4', '[1234:5678::abcd]'], ['exa mple.org', 'example.org:port']],
  ];
  for (const [name, good, bad] of cases) {
    const f = spec.stringFormats.get(name)!;
    assert.ok(f && f.title && f.url && f.regex, name);
    for (const s of good) assert.ok(f.regex!.test(s), `${name} accepts ${s}`);
    for (const s of bad) assert.ok(!f.regex!.test(s), `${name} rejects ${s}`);
  }
  assert.ok(isObject(spec.stringFormatsFile?.data));
});
