import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { cli, REPO, sharedSkip, V19 } from '../testing/support.js';
import { loadSpec } from '../loader/load.js';
import { examplesModule, typedExamples } from './examples.js';

// Packages are generated inside the repository so their `openapi-fetch` import resolves to ours.
const WORK = join(REPO, 'dist', `.types-test-${process.pid}`);
mkdirSync(WORK, { recursive: true });
after(() => rmSync(WORK, { recursive: true, force: true }));

function generate(root: string, name: string): string {
  const out = join(WORK, name);
  const r = cli(['types', '--root', root, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  return out;
}

/** Type-checks files with strict TypeScript; returns the errors as `file:line message`. */
function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: false, types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${d.file.fileName.split('/').pop()}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

function examplesOf(root: string, pkg: string): string {
  const file = join(pkg, 'examples.ts');
  writeFileSync(file, examplesModule(typedExamples(loadSpec(root))));
  return file;
}

test('types: every request, response and event example of our spec satisfies its generated type (strict)', () => {
  const pkg = generate(REPO, 'ours');
  const byModule = typedExamples(loadSpec(REPO));
  assert.ok((byModule.get('client-server')?.length ?? 0) > 50 && (byModule.get('events')?.length ?? 0) >= 6, 'the examples are found');
  assert.deepEqual(typeErrors([examplesOf(REPO, pkg)]), []);
});

test('types: a wrong example (a property its schema lacks) fails the check, naming where', () => {
  const root = join(REPO, 'scripts', 'types', 'fixtures', 'wrong-example');
  const pkg = generate(root, 'wrong');
  const errors = typeErrors([examplesOf(root, pkg)]);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /'"colour"' does not exist/);
  assert.match(readFileSync(join(pkg, 'examples.ts'), 'utf8'), /\/\/ POST \/_matrix\/client\/v3\/rooms\/\{roomId\}\/thing response 200\n.*\n.*\n.*"colour": "green"/);
});

test('types: the package has its manifest, modules, identifier and event types', () => {
  const pkg = join(WORK, 'ours');
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  assert.equal(manifest.version, '1.2.0');
  assert.equal(manifest.type, 'module');
  assert.deepEqual(Object.keys(manifest.dependencies), ['openapi-fetch']);
  for (const m of ['.', './client-server', './server-server', './events', './identifiers', './client']) assert.ok(manifest.exports[m]?.types, m);
  for (const f of manifest.files) assert.ok(readdirSync(pkg).includes(f), f);
  const ids = readFileSync(join(pkg, 'identifiers.d.ts'), 'utf8');
  assert.match(ids, /export type UserId = `@\$\{string\}:\$\{string\}`;/);
  assert.match(ids, /export type RoomId = `!\$\{string\}:\$\{string\}`;/);
  assert.match(ids, /export type RoomAlias = `#\$\{string\}:\$\{string\}`;/);
  assert.match(ids, /export type EventId = `\$\$\{string\}`;/);
  const cs = readFileSync(join(pkg, 'client-server.d.ts'), 'utf8');
  assert.ok(cs.includes('"/_matrix/client/v3/knock/{roomIdOrAlias}": {'), 'full paths');
  assert.match(cs, /knockRoom: \{/);
  assert.match(cs, /@since Matrix 1\.1/);
  assert.match(cs, /room_id: RoomId;/);
  assert.match(cs, /: Record<RoomId, components\["schemas"\]\["JoinedRoom"\]>;/, 'map keys with an identifier format are typed');
  // Every operation of the spec is in its module's `operations`, the alternative routes included.
  const specOps = loadSpec(REPO).operations;
  for (const api of new Set(specOps.map((o) => o.api))) {
    const module = readFileSync(join(pkg, `${api}.d.ts`), 'utf8');
    const block = module.slice(module.indexOf('export interface operations {'));
    for (const o of specOps.filter((x) => x.api === api)) assert.ok(block.includes(`\n    ${String(o.node.operationId)}: {`), `${api}: operations.${String(o.node.operationId)}`);
  }
  const events = readFileSync(join(pkg, 'events.d.ts'), 'utf8');
  assert.match(events, /join_rule: "public" \| "knock" \| "invite" \| "private" \| "restricted";/);
  assert.match(events, /"m\.room\.join_rules": RoomJoinRulesEvent\["content"\];/);
  assert.match(events, /export type MatrixEvent = /);
  assert.match(events, /export type StrippedStateEvent = /);
  // Every event schema of the spec has its content type exported.
  const spec = loadSpec(REPO);
  for (const e of spec.eventSchemas) {
    if (e.type === 'm.key.verification.m.relates_to') continue;
    assert.match(events, new RegExp(`export type \\w+Content = \\w+\\["content"\\];\\n?[\\s\\S]*`), e.type);
    const name = e.type.replace(/^m\./, '').split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
    assert.ok(events.includes(`export type ${name}EventContent = `), `${e.type} → ${name}EventContent`);
  }
});

test('types: a consumer installs the packed package and compiles against it under strict', () => {
  const pkg = join(WORK, 'ours');
  const consumer = mkdtempSync(join(tmpdir(), 'mxspec-consumer-'));
  try {
    const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', consumer], { cwd: pkg, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    const tarball = join(consumer, pack.stdout.trim().split('\n').pop()!);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // The client's dependencies come packed from this checkout's node_modules, so the install
    // needs neither the network nor registry metadata in npm's cache.
    const deps = ['openapi-fetch', 'openapi-typescript-helpers'].map((name) => {
      const r = spawnSync('npm', ['pack', '--silent', '--pack-destination', consumer, join(REPO, 'node_modules', name)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return join(consumer, r.stdout.trim().split('\n').pop()!);
    });
    const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball, ...deps], { cwd: consumer, encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    writeFileSync(join(consumer, 'main.ts'), `
import { createMatrixClient, type MatrixEvent, type UserId } from 'matrix-spec-types';
import type { operations } from 'matrix-spec-types/client-server';

const client = createMatrixClient({ baseUrl: 'https://matrix.example.org', accessToken: 'secret' });
export async function knock(): Promise<string | undefined> {
  const { data, error } = await client.POST('/_matrix/client/v3/knock/{roomIdOrAlias}', {
    params: { path: { roomIdOrAlias: '#coffee:example.org' } },
    body: { reason: 'I like coffee.' },
  });
  if (error) return error.errcode;
  return data.room_id;
}
type KnockBody = operations['knockRoom']['requestBody'];
export const body: NonNullable<KnockBody>['content']['application/json'] = { reason: 'Let me in.' };
export function describe(event: MatrixEvent): string {
  if (event.type === 'm.room.join_rules') return event.content.join_rule;
  if (event.type === 'm.room.member') return event.content.membership;
  return event.type;
}
export const alice: UserId = '@alice:example.org';
// @ts-expect-error a user ID needs its sigil and server
export const notAUser: UserId = 'alice';
`);
    assert.deepEqual(typeErrors([join(consumer, 'main.ts')]), []);
  } finally {
    rmSync(consumer, { recursive: true, force: true });
  }
});

test('types: the client sends the method, full path, query, body and bearer token, and returns typed results and errors', async () => {
  const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      const forbidden = req.url?.includes('forbidden');
      res.writeHead(forbidden ? 403 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(forbidden ? { errcode: 'M_FORBIDDEN', error: 'No knocking here.' } : { room_id: '!coffee:example.org' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const { createMatrixClient } = await import(pathToFileURL(join(WORK, 'ours', 'client.js')).href) as { createMatrixClient: (o: object) => { POST: (p: string, o: object) => Promise<{ data?: { room_id: string }; error?: { errcode: string }; response: Response }> } };
    const client = createMatrixClient({ baseUrl: `http://127.0.0.1:${port}`, accessToken: 'syt_secret' });
    const ok = await client.POST('/_matrix/client/v3/knock/{roomIdOrAlias}', {
      params: { path: { roomIdOrAlias: '#coffee:example.org' }, query: { server_name: ['example.org', 'elsewhere.ca'] } },
      body: { reason: 'I like coffee.' },
    });
    assert.deepEqual(ok.data, { room_id: '!coffee:example.org' });
    assert.equal(ok.error, undefined);
    assert.deepEqual(seen[0], {
      method: 'POST', url: '/_matrix/client/v3/knock/%23coffee%3Aexample.org?server_name=example.org&server_name=elsewhere.ca',
      auth: 'Bearer syt_secret', body: JSON.stringify({ reason: 'I like coffee.' }),
    });
    const denied = await client.POST('/_matrix/client/v3/knock/{roomIdOrAlias}', { params: { path: { roomIdOrAlias: '#forbidden:example.org' } }, body: {} });
    assert.equal(denied.response.status, 403);
    assert.equal(denied.data, undefined);
    assert.equal(denied.error?.errcode, 'M_FORBIDDEN');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('types: a bad output folder is one line and exit 1, and nothing is left half-written', () => {
  const file = join(WORK, 'a-file');
  writeFileSync(file, 'not a folder\n');
  const r = cli(['types', '--out', join(file, 'types')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^mxspec: cannot write /);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('types: the published v1.9 tree gives a package that compiles', { skip: sharedSkip }, () => {
  const pkg = generate(V19, 'v19');
  const check = join(pkg, 'check.ts');
  writeFileSync(check, "import type { ClientServer, MatrixEvent, EventContentMap } from './index.js';\nexport type P = keyof ClientServer.paths;\nexport type E = MatrixEvent['type'];\nexport type C = EventContentMap['m.room.message'];\n");
  assert.deepEqual(typeErrors([check, ...readdirSync(pkg).filter((f) => f.endsWith('.d.ts')).map((f) => join(pkg, f))]), []);
});
