import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { cli, REPO, sharedSkip, V19 } from '../testing/support.js';
import { loadSpec } from '../loader/load.js';
import { checkLinks } from './links.js';
import { endpointAnchor } from './ids.js';

const WORK = mkdtempSync(join(tmpdir(), 'mxspec-site-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs); else files.set(relative(dir, abs), readFileSync(abs, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

function build(root: string, name: string): Map<string, string> {
  const out = join(WORK, name);
  const r = cli(['site', '--root', root, '--out', out]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return readTree(out);
}

test('site: our spec builds; every internal link and anchor resolves; every operation appears once with its anchor', () => {
  const files = build(REPO, 'ours');
  assert.deepEqual(checkLinks(files), []);
  const spec = loadSpec(REPO);
  const html = [...files.entries()].filter(([f]) => f.endsWith('.html')).map(([, t]) => t).join('\n');
  for (const op of spec.operations) {
    const anchor = endpointAnchor(op.method, op.fullPath);
    assert.equal(html.split(`<section class="endpoint" id="${anchor}"`).length + html.split(`<section class="endpoint deprecated" id="${anchor}"`).length - 2, 1, `${anchor} once`);
  }
  const roomVersions = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((v) => `rooms/v${v}/index.html`);
  for (const page of ['index.html', 'client-server-api/index.html', 'server-server-api/index.html', 'rooms/index.html', ...roomVersions, 'appendices/index.html', 'changelog/index.html', 'changelog/unreleased/index.html']) {
    assert.ok(files.has(page), page);
  }
  // Mentions link to their blocks, even across pages.
  assert.match(files.get('server-server-api/index.html')!, /<a href="\/client-server-api\/#mroommember"><code>m\.room\.member<\/code><\/a>/);
  assert.match(files.get('server-server-api/index.html')!, /<a href="\/client-server-api\/#post_matrixclientv3knockroomidoralias"><code>POST \/(_matrix\/client\/v3\/)?knock\/\{roomIdOrAlias\}<\/code><\/a>/);
  const unreleased = files.get('changelog/unreleased/index.html')!;
  assert.match(unreleased, /Olm fallback keys/);
  const cs = JSON.parse(files.get('client-server/openapi.json')!);
  assert.ok(cs.paths['/_matrix/client/v3/knock/{roomIdOrAlias}'].post, 'the merged OpenAPI document has full paths');
  assert.ok(files.has('search-index.json'));
});

test('site: nothing is loaded from another host, and every page carries a Content-Security-Policy', () => {
  const files = build(REPO, 'ours-csp');
  for (const [name, text] of files) {
    if (!name.endsWith('.html')) continue;
    assert.match(text, /<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'/, name);
    assert.doesNotMatch(text, /\s(?:src|href)="(?:https?:)?\/\/(?!127\.0\.0\.1)[^"]*\.(?:js|css|woff2?|ttf)"/, name);
    for (const tag of text.split('<script').slice(1)) assert.match(tag, /^ src="[^"]+"/, `${name}: no inline script`);
  }
});

test('site: Markdown from site/ and from data/ is sanitized: scripts, handlers and javascript: links render inert', () => {
  const files = build(join(REPO, 'scripts', 'site', 'fixtures', 'unsafe'), 'unsafe');
  const page = files.get('client-server-api/index.html')!;
  assert.match(page, /Stores a thing\./, 'the description is there');
  assert.doesNotMatch(page, /<script>alert|onerror|javascript:/i);
  assert.doesNotMatch(page.replace(/<script src="[^"]+"( defer)?><\/script>/g, ''), /<script/i);
});

test('site: a directive naming nothing is an error at file:line, and the previous site is left untouched', () => {
  const root = mkdtempSync(join(WORK, 'broken-'));
  cpSync(join(REPO, 'scripts', 'site', 'fixtures', 'unsafe'), root, { recursive: true });
  const out = join(WORK, 'broken-out');
  assert.equal(cli(['site', '--root', root, '--out', out]).status, 0);
  const before = readFileSync(join(out, 'client-server-api', 'index.html'), 'utf8');
  writeFileSync(join(root, 'site', 'client-server-api.md'), '---\ntitle: Client-Server API\n---\n## Things\n\n::operation{id=postThing}\n\n::event{type=m.nothing}\n');
  const r = cli(['site', '--root', root, '--out', out]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /site\/client-server-api\.md:8:1 +error +::event names "m\.nothing", which has no schema/);
  assert.ok(!r.stderr.includes('    at '), 'no stack trace');
  assert.equal(readFileSync(join(out, 'client-server-api', 'index.html'), 'utf8'), before);
  assert.deepEqual(readdirSync(WORK).filter((n) => n.startsWith('broken-out.')), [], 'no temporary folder is left behind');
});

test('site: a broken $ref blocks the build, since it would silently drop content', () => {
  const root = mkdtempSync(join(WORK, 'badref-'));
  cpSync(join(REPO, 'scripts', 'site', 'fixtures', 'unsafe'), root, { recursive: true });
  const file = join(root, 'data', 'api', 'client-server', 'things.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('title: ThingStored', '$ref: definitions/nowhere.yaml\n                title: ThingStored'));
  const r = cli(['site', '--root', root, '--out', join(WORK, 'badref-out')]);
  assert.equal(r.status, 1);
  const line = r.stderr.split('\n')
    .find((l) => l.includes('things.yaml:') && l.includes('"definitions/nowhere.yaml" points at'));
  assert.ok(line, r.stderr);
  assert.match(line, /things\.yaml:\d+:\d+ +error /);
  assert.ok(line.includes('which does not exist.') && line.endsWith('ref-resolves'), line);
  assert.equal(existsSync(join(WORK, 'badref-out')), false);
});

test('site: a page can include partials (site/_name files, not pages themselves); errors point into the partial', () => {
  const root = mkdtempSync(join(WORK, 'include-'));
  cpSync(join(REPO, 'scripts', 'site', 'fixtures', 'unsafe'), root, { recursive: true });
  mkdirSync(join(root, 'site', '_parts'));
  writeFileSync(join(root, 'site', '_parts', 'things.md'), '## Included things\n\n::operation{id=postThing}\n');
  writeFileSync(join(root, 'site', 'client-server-api.md'), '---\ntitle: Client-Server API\n---\nIntro.\n\n::include{file=_parts/things.md}\n');
  const out = join(WORK, 'include-out');
  const ok = cli(['site', '--root', root, '--out', out]);
  assert.equal(ok.status, 0, ok.stderr);
  const page = readFileSync(join(out, 'client-server-api', 'index.html'), 'utf8');
  assert.match(page, /<h2 id="included-things">Included things<\/h2>/);
  assert.match(page, /id="post_matrixclientv3roomsroomidthing"/);
  assert.equal(existsSync(join(out, '_parts')), false, 'partials are not pages');
  writeFileSync(join(root, 'site', '_parts', 'things.md'), '## Included things\n\n::event{type=m.nothing}\n');
  const bad = cli(['site', '--root', root, '--out', out]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /site\/_parts\/things\.md:3:1 +error +::event names "m\.nothing"/);
});

test('site: the v1.9 tree, which has no site/ folder, builds with a reference page per API and an anchor per operation', { skip: sharedSkip }, () => {
  const r = cli(['site', '--root', V19, '--out', join(WORK, 'v19')]);
  assert.equal(r.status, 0, r.stderr);
  const files = readTree(join(WORK, 'v19'));
  const spec = loadSpec(V19);
  const html = [...files.entries()].filter(([f]) => f.endsWith('.html')).map(([, t]) => t).join('\n');
  const anchors = [...html.matchAll(/<section class="endpoint(?: deprecated)?" id="([^"]+)"/g)].map((m) => m[1]!);
  const published = readFileSync(join(V19, 'operations.tsv'), 'utf8').trim().split('\n').length - 1;
  assert.equal(spec.operations.length, published, 'every published operation is loaded');
  assert.equal(anchors.length, published, 'one endpoint block per operation');
  assert.equal(new Set(anchors).size, anchors.length, 'anchors are unique, even for the route v1.9 defines twice');
  for (const o of spec.operations) assert.ok(anchors.some((a) => a.startsWith(endpointAnchor(o.method, o.fullPath))), o.fullPath);
  for (const api of ['client-server', 'server-server', 'application-service', 'identity', 'push-gateway']) {
    assert.ok(files.has(`${api}/openapi.json`), api);
  }
  assert.ok(files.has('events/index.html'));
  assert.match(files.get('events/index.html')!, /id="mroommessage"/);
  // Links into blocks placed on another page than the published site's were rewritten to it;
  // what still breaks leads into prose this data-only tree does not have, and is only a warning.
  const events = [...html.matchAll(/<section class="event" id="([^"]+)"/g)].map((m) => m[1]!);
  const blockAnchors = new Set([...anchors, ...events]);
  const broken = checkLinks(files);
  assert.ok(broken.length > 0, 'the published descriptions link to prose');
  for (const b of broken) {
    assert.ok(!blockAnchors.has(b.href.split('#')[1] ?? ''), `${b.href} names a block, yet does not resolve`);
  }
  const appservice = files.get('application-service-api/index.html')!;
  assert.ok(!appservice.includes('href="#post_matrixclientv1appserviceappserviceidping"'));
  assert.ok(appservice.includes('href="/client-server-api/#post_matrixclientv1appserviceappserviceidping"'));
  const warning = 'leads to prose this tree does not have (it has no site/ pages)';
  assert.ok(r.stderr.includes(warning), r.stderr.slice(0, 2000));
  assert.ok(r.stderr.includes(' 0 errors,'), 'nothing is an error');
});

/** Reads server-sent events until one of the wanted kind arrives. */
function nextEvent(port: number, kind: string, action: () => void): Promise<{ event: string; data: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/__mxspec/events' }, (res) => {
      let buffer = '';
      let acted = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        if (!acted && buffer.includes(': connected')) { acted = true; action(); }
        for (const block of buffer.split('\n\n').slice(0, -1)) {
          const event = /^event: (.*)$/m.exec(block)?.[1];
          if (event === kind) { req.destroy(); resolve({ event, data: /^data: (.*)$/m.exec(block)?.[1] ?? '' }); }
        }
      });
    });
    req.on('error', reject);
    setTimeout(() => { req.destroy(); reject(new Error(`no ${kind} event within 10 s`)); }, 10_000);
  });
}

function fetchText(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => { let b = ''; res.setEncoding('utf8'); res.on('data', (c) => { b += c; }); res.on('end', () => resolve(b)); }).on('error', reject);
  });
}

test('dev: a change is rebuilt and reloaded; a broken edit is reported and the last good build stays served', async () => {
  const root = mkdtempSync(join(WORK, 'dev-'));
  for (const d of ['data', 'site', 'templates', 'changelogs', '.mxspec.yaml']) if (existsSync(join(REPO, d))) cpSync(join(REPO, d), join(root, d), { recursive: statSync(join(REPO, d)).isDirectory() });
  const child = spawn(process.execPath, [join(REPO, 'bin', 'mxspec.js'), 'dev', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c) => { out += c; const m = /serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(out); if (m) resolve(Number(m[1])); });
      child.on('exit', () => reject(new Error(`dev exited: ${out}`)));
    });
    assert.match(await fetchText(port, '/client-server-api/'), /__mxspec\/dev\.js/);
    const file = join(root, 'data', 'api', 'client-server', 'knocking.yaml');
    const original = readFileSync(file, 'utf8');
    await nextEvent(port, 'reload', () => writeFileSync(file, original.replace(/summary: [^\n]+/, 'summary: Knock, knock.')));
    assert.match(await fetchText(port, '/client-server-api/'), /Knock, knock\./);
    const failed = await nextEvent(port, 'failed', () => writeFileSync(file, `${original}\nopenapi: [\n`));
    assert.match(JSON.parse(failed.data).text, /knocking\.yaml:\d+:\d+ +error +YAML syntax error/);
    assert.match(await fetchText(port, '/client-server-api/'), /Knock, knock\./, 'the last good build is still served');
  } finally {
    child.kill('SIGTERM');
  }
});
