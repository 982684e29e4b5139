import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { get, startDev, waitFor } from '../testing/dev.js';
import { cli, REPO } from '../testing/support.js';
import { hugoUrl } from './content-pages.js';
import { anchorize, customHeadingId, endpointAnchor, eventAnchor, HeadingIds } from './ids.js';
import { findShortcodes, parseParams } from './shortcodes.js';

const FIXTURE = join(REPO, 'scripts', 'site', 'fixtures', 'hugo');
const WORK = mkdtempSync(join(tmpdir(), 'mxspec-hugo-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

type Format = 'swagger2' | 'openapi31';

/** A tree in the upstream layout: content/, data/ in one of the two formats, data-definitions/, static/. */
function hugoTree(name: string, format: Format): string {
  const root = join(WORK, name);
  for (const part of ['content', 'data-definitions', 'static', 'assets']) cpSync(join(FIXTURE, part), join(root, part), { recursive: true });
  cpSync(join(FIXTURE, `data-${format}`), join(root, 'data'), { recursive: true });
  cpSync(join(FIXTURE, 'event-schemas'), join(root, 'data', 'event-schemas'), { recursive: true });
  return root;
}

function page(out: string, url: string): string {
  return readFileSync(join(out, url, 'index.html'), 'utf8');
}

function ids(html: string): string[] {
  return [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
}

test('anchors: endpoints, events and headings get the ids the published site gives them', () => {
  assert.equal(endpointAnchor('POST', '/_matrix/client/v3/knock/{roomIdOrAlias}'), 'post_matrixclientv3knockroomidoralias');
  assert.equal(endpointAnchor('GET', '/.well-known/matrix/client'), 'getwell-knownmatrixclient');
  assert.equal(eventAnchor('m.room.join_rules'), 'mroomjoin_rules');
  assert.equal(eventAnchor('m.room.message$m.text'), 'mtext');
  assert.equal(anchorize('Extensions to /sync'), 'extensions-to-sync');
  assert.equal(anchorize('3PID Types'), '3pid-types');
  assert.equal(anchorize('  Room  versions  '), 'room--versions');
  const headings = new HeadingIds();
  headings.reserve('custom');
  assert.deepEqual(['Ordering', 'Ordering', 'Ordering', '!!!', 'custom'].map((t) => headings.next(t)),
    ['ordering', 'ordering-1', 'ordering-2', 'heading', 'custom-1']);
  assert.deepEqual(customHeadingId('Handwritten id {#my-own-id}'), { text: 'Handwritten id', id: 'my-own-id' });
  assert.deepEqual(customHeadingId('Braces {not an id}'), { text: 'Braces {not an id}' });
});

test('hugo: content files map to the URLs Hugo gives them', () => {
  assert.equal(hugoUrl('_index.md'), '/');
  assert.equal(hugoUrl('client-server-api/_index.md'), '/client-server-api/');
  assert.equal(hugoUrl('rooms/v9.md'), '/rooms/v9/');
  assert.equal(hugoUrl('Guides/Intro.md'), '/guides/intro/');
  assert.equal(hugoUrl('a/b.md', { slug: 'c' }), '/a/c/');
  assert.equal(hugoUrl('a/b.md', { url: '/elsewhere/' }), '/elsewhere/');
  assert.equal(hugoUrl('a/<script>.md'), undefined);
});

test('hugo: shortcode calls and their parameters are read as Hugo reads them', () => {
  const calls = findShortcodes('{{% http-api spec="client-server" api="knocking" %}}');
  assert.ok(Array.isArray(calls));
  assert.equal(calls[0]!.name, 'http-api');
  assert.deepEqual({ ...calls[0]!.params }, { spec: 'client-server', api: 'knocking' });
  const inline = findShortcodes('* {{< added-in v="1.1" >}} text {{% /boxes/note %}}');
  assert.ok(Array.isArray(inline));
  assert.deepEqual(inline.map((c) => [c.name, c.closing]), [['added-in', false], ['boxes/note', true]]);
  assert.deepEqual({ ...parseParams('name="x" withVersioning=true "positional"') as object },
    { name: 'x', withVersioning: 'true', 0: 'positional' });
  assert.equal(typeof findShortcodes('{{% event event="x" '), 'string');
  assert.equal(typeof parseParams('a="never closed'), 'string');
  const literal = findShortcodes('write {{</* event event="x" */>}} to place an event');
  assert.ok(Array.isArray(literal));
  assert.equal(literal[0]!.literal, '{{< event event="x" >}}');
});

for (const format of ['swagger2', 'openapi31'] as const) {
  test(`hugo (${format} data): every page at its Hugo URL, with its shortcodes rendered`, () => {
    const root = hugoTree(`ok-${format}`, format);
    const out = join(WORK, `out-${format}`);
    const r = cli(['site', '--root', root, '--out', out]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.doesNotMatch(r.stderr, /warn|error/, 'no broken link, no problem');
    for (const url of ['', 'client-server-api', 'rooms', 'rooms/v1', 'rooms/v2']) page(out, url);
    for (const url of ['draft-page', 'client-server-api/modules/greeting', 'rooms/fragments/v1-redactions']) {
      assert.throws(() => page(out, url), /ENOENT/, `${url} is a draft or a part of another page`);
    }
    const cs = page(out, 'client-server-api');
    const found = ids(cs);
    for (const id of ['overview', 'ordering', 'ordering-1', 'my-own-id', 'greetings', 'ordering-2',
      'post_matrixclientv3pingroomid', 'mexample']) assert.ok(found.includes(id), `id ${id}`);
    assert.equal(new Set(found).size, found.length, 'ids are unique');
    assert.match(cs, /class="box box-note"[^>]*>.*<strong>bold<\/strong>/s);
    assert.match(cs, /class="box box-warning"/);
    assert.match(cs, /Added in v1\.1<\/span> Knocking was added/);
    assert.match(cs, /Changed in v1\.2<\/span> Guests may knock too/);
    assert.match(cs, /took_ms/, 'the response table');
    assert.match(cs, /note/, 'the request table');
    assert.match(cs, /<code>Thing<\/code>/, 'the definition block');
    assert.match(cs, /🐶/, 'the SAS emoji table');
    assert.match(cs, /not available offline/i, 'the proposals note');
    assert.match(cs, /A module&#39;s heading|A module's heading/, 'the module is part of the page');
    assert.doesNotMatch(cs, /\{\{[%<]/, 'no shortcode is left as text');
    for (const id of ['mtext', 'mcustom', 'mcallring', 'mcallhangup']) assert.ok(found.includes(id), `id ${id}`);
    assert.ok(found.indexOf('mcallhangup') < found.indexOf('mcallring'), 'a group is in name order');
    assert.ok(found.indexOf('mtext') < found.indexOf('mcustom'), 'the common message types come first');
    assert.match(cs, /<code>RoomEvent<\/code>/, 'the event fields block');
    assert.match(cs, /class="box box-rationale"/);
    assert.match(cs, /<img src="\/diagrams\/flow\.png" alt="How a ping flows"/);
    assert.ok(readFileSync(join(out, 'diagrams', 'flow.png')).length > 0, 'the diagram is copied');
    assert.match(page(out, 'rooms/v1'), /New in this version/);
    assert.doesNotMatch(page(out, 'rooms/v2'), /New in this version/, 'a fragment drops its note unless versioned');
    assert.ok(readFileSync(join(out, 'diagrams', 'graph.png')).length > 0, 'static/ is copied');
    const nav = page(out, '').match(/<nav[\s\S]*?<\/nav>/)?.[0] ?? '';
    assert.ok(nav.indexOf('Client-Server API') < nav.indexOf('Room Versions'), 'weights order the navigation');
  });
}

test('hugo: our own pages reach the same blocks with directives', () => {
  const root = hugoTree('directives', 'openapi31');
  rmSync(join(root, 'content'), { recursive: true });
  mkdirSync(join(root, 'site'));
  writeFileSync(join(root, 'site', 'client-server-api.md'), [
    '---', 'title: Client-Server API', '---', '', '## Pinging', '', ':::note', 'Pings are cheap.', ':::', '',
    'Pinging is :added-in{v="1.1"} here.', '', '::http-api{spec="client-server" api="ping"}', '',
    '::event-group{group_name="m.call"}', '',
  ].join('\n'));
  const out = join(WORK, 'out-directives');
  const r = cli(['site', '--root', root, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const cs = page(out, 'client-server-api');
  assert.match(cs, /class="box box-note"[^>]*>.*Pings are cheap/s);
  assert.match(cs, /Added in v1\.1<\/span> here/);
  for (const id of ['post_matrixclientv3pingroomid', 'mcallring', 'mcallhangup']) assert.ok(ids(cs).includes(id), id);
});

test('hugo: both data formats give the same client-server page', () => {
  const pages = (['swagger2', 'openapi31'] as const).map((format) => {
    const out = join(WORK, `same-out-${format}`);
    const r = cli(['site', '--root', hugoTree(`same-${format}`, format), '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    return ids(page(out, 'client-server-api'));
  });
  assert.deepEqual(pages[0], pages[1]);
});

/** Builds the fixture with one content file replaced; returns the CLI's result. */
function withPage(name: string, rel: string, text: string): ReturnType<typeof cli> {
  const root = hugoTree(name, 'openapi31');
  writeFileSync(join(root, 'content', rel), text);
  return cli(['site', '--root', root, '--out', join(WORK, `out-${name}`)]);
}

test('hugo: a shortcode mxspec does not know is an error at its file and line, naming it', () => {
  const r = withPage('unknown', 'extra.md', '---\ntitle: Extra\n---\n\nText.\n\n{{% frobnicate level=3 %}}\n');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /content\/extra\.md:7:1/);
  assert.match(r.stderr, /unknown shortcode "frobnicate"/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('hugo: broken boxes, includes and blocks are located errors', () => {
  const cases: [string, string, RegExp][] = [
    ['unclosed', '{{% boxes/note %}}\nNever closed.\n', /extra\.md:5:1.*boxes\/note is never closed/],
    ['mismatch', '{{% boxes/note %}}\nx\n{{% /boxes/warning %}}\n', /extra\.md:7:1.*closes boxes\/note/],
    ['module', '{{% cs-module name="nowhere" %}}\n', /extra\.md:5:1.*modules\/nowhere\.md/],
    ['climb', '{{% cs-module name="../../../etc/passwd" %}}\n', /extra\.md:5:1.*cs-module needs name=/],
    ['event', '{{% event event="m.nothing" %}}\n', /extra\.md:5:1.*"m\.nothing", which has no schema/],
    ['api', '{{% http-api spec="client-server" api="nothing" %}}\n', /extra\.md:5:1.*no data\/api\/client-server\/nothing/],
    ['inline', 'Text {{% http-api spec="client-server" api="ping" %}} here.\n', /extra\.md:5:6.*line of its own/],
  ];
  for (const [name, body, expected] of cases) {
    const r = withPage(`bad-${name}`, 'extra.md', `---\ntitle: Extra\n---\n\n${body}`);
    assert.equal(r.status, 1, `${name}: ${r.stderr}`);
    assert.match(r.stderr.replace(/\s+/g, ' '), expected, name);
  }
});

test('hugo: a content file that leads out of the tree is refused, and never read', () => {
  const root = hugoTree('symlink', 'openapi31');
  const secret = join(WORK, 'secret.md');
  writeFileSync(secret, '---\ntitle: Secret\n---\n\nSECRET-TEXT\n');
  symlinkSync(secret, join(root, 'content', 'secret.md'));
  const out = join(WORK, 'out-symlink');
  const r = cli(['site', '--root', root, '--out', out]);
  assert.match(r.stderr, /content\/secret\.md/);
  assert.doesNotMatch(r.stdout + r.stderr, /SECRET-TEXT/);
});

test('hugo: the dev server rebuilds on a change to a module, and shows a broken shortcode', async () => {
  const root = hugoTree('dev', 'openapi31');
  const { child, port, stderr } = await startDev(root);
  try {
    await waitFor(port, '/client-server-api/', 'A module', 20);
    const module = join(root, 'content', 'client-server-api', 'modules', 'greeting.md');
    writeFileSync(module, readFileSync(module, 'utf8').replace('A module', 'An edited module'));
    await waitFor(port, '/client-server-api/', 'An edited module', 20);
    writeFileSync(module, `${readFileSync(module, 'utf8')}\n{{% frobnicate %}}\n`);
    for (let i = 0; i < 200 && !stderr().includes('frobnicate'); i++) await sleep(100);
    assert.match(stderr(), /greeting\.md:\d+:1.*unknown shortcode "frobnicate"/s);
    assert.match((await get(port, '/client-server-api/')).body, /An edited module/, 'the last good build is served');
  } finally {
    child.kill('SIGTERM');
  }
});
