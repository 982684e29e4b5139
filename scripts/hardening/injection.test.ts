import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, test } from 'node:test';
import { buildFromRoot } from '../site/command.js';
import { checkLinks } from '../site/links.js';
import { cli, REPO } from '../testing/support.js';

const BASE = join(REPO, 'scripts', 'hardening', 'fixtures', 'injection');
const WORK = mkdtempSync(join(tmpdir(), 'mxspec-injection-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

interface Run { status: number | null; stdout: string; stderr: string }

/** The real CLI, run from the work folder (`cli` has a time limit: an opened FIFO would block forever). */
const mxspec = (args: string[]): Run => cli(args, WORK);

/** `file:line:col rule` of each error line of stylish output. */
function errorPlaces(stderr: string): string[] {
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    const fields = line.trim().split(/ {2,}/);
    const place = /^[^:]+:\d+:\d+$/.test(fields[0] ?? '');
    if (fields.length === 4 && fields[1] === 'error' && place) out.push(`${fields[0]} ${fields[3]}`);
  }
  return out;
}

/** Release notes whose file names try to become markup or climb out of their folder. */
const BAD_RELEASES = ['v1"><script>alert(9)<.md', '<b>bold.md', '..md', '.hidden.md', 'v 2.md', 'unreleased.md'];

/** A copy of the fixture, plus what git cannot hold well: odd API folder and release file names. */
function hostileTree(name: string): string {
  const root = join(WORK, name);
  cpSync(BASE, root, { recursive: true });
  const api = readFileSync(join(BASE, 'data', 'api', 'constructor', 'parts.yaml'), 'utf8');
  const apis = [['bad--name', 'getBad'], ['1.weird api', 'getWeird'], ['__proto__', 'getProto']] as const;
  for (const [folder, id] of apis) {
    mkdirSync(join(root, 'data', 'api', folder));
    const text = api.replace('getParts', id).replace('/parts', `/${id.toLowerCase()}`);
    writeFileSync(join(root, 'data', 'api', folder, 'parts.yaml'), text);
  }
  const notes = '## Odd\n\nNotes under an odd name.\n';
  for (const file of BAD_RELEASES) writeFileSync(join(root, 'changelogs', 'releases', file), notes);
  return root;
}

function hrefsAndSrcs(html: string): string[] {
  return [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => decode(m[1]!));
}

function decode(s: string): string {
  return s.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The checks every page must pass, whatever the tree holds. */
function assertPageSafe(name: string, html: string): void {
  for (const tag of html.split('<script').slice(1)) {
    assert.match(tag, /^ src="\/(?:assets|__mxspec)\/[^"]+"/, `${name}: only our own scripts`);
  }
  for (const href of hrefsAndSrcs(html)) {
    const bare = href.replace(/[\u0000-\u0020]/g, '').toLowerCase();
    const scheme = /^(?:javascript|vbscript|data):/.test(bare);
    assert.ok(!scheme || href === 'data:,', `${name}: href ${JSON.stringify(href)}`);
    assert.ok(!href.startsWith('//'), `${name}: no link to another host: ${href}`);
  }
  const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);
  assert.ok(ids.length > 0, name);
  for (const id of ids) assert.notEqual(id.trim(), '', `${name}: an empty id`);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  assert.deepEqual(repeated, [], `${name}: ids used twice`);
}

const pagePath = (url: string) => `${url.slice(1)}index.html`;

test('injection: format URLs and release file names from the tree are refused with errors at their lines', () => {
  const root = hostileTree('cli');
  const r = mxspec(['site', '--root', root, '--out', join(WORK, 'cli-out')]);
  assert.ok(!r.stderr.includes('internal error') && !r.stderr.includes('    at '), r.stderr);
  assert.equal(r.status, 1, r.stderr);
  const lines = [10, 13, 16, 19, 22, 25, 28, 31, 34];
  const formats = lines.map((line) => `data/string-formats.yaml:${line}:8 site-format-url`);
  const releases = BAD_RELEASES.map((f) => `changelogs/releases/${f}:1:1 site-page`).sort();
  assert.deepEqual(errorPlaces(r.stderr).sort(), [...formats, ...releases].sort(), r.stderr);
  assert.ok(r.stderr.includes('The url of format mx-tab-script, "java\\tscript:alert(3)", is not a link'));
  assert.ok(r.stderr.includes('"<b>bold" is not a version name the site can publish'));
});

test('injection: nothing from the tree becomes markup, a script link or a duplicate id', async () => {
  const root = hostileTree('memory');
  const { build } = await buildFromRoot(root);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
  const pages = [...build.files].filter(([f]) => f.endsWith('.html')).map(([f, t]) => [f, String(t)] as const);
  for (const [name, html] of pages) assertPageSafe(name, html);
  for (const name of build.files.keys()) assert.match(name, /^[\w.-]+(?:\/[\w.-]+)*$/, 'every output path is plain');
  assert.deepEqual(checkLinks(build.files), [], 'every internal link and anchor resolves');
  const unexpected = new Set(['site-link', 'site-directive', 'site-template', 'site-page', 'site-asset']);
  const refusedNames = (d: { file: string }) => d.file.startsWith('changelogs/releases/');
  assert.deepEqual(build.diagnostics.filter((d) => unexpected.has(d.rule) && !refusedNames(d)), []);
  const files = new Map(pages);

  const headings = files.get(pagePath('/headings/'))!;
  assert.match(headings, /<section class="endpoint" id="post_matrixclientv3things"/, 'the block keeps its anchor');
  assert.match(headings, /<h2 id="post_matrixclientv3things-2">/, 'the heading that wanted it is renumbered');
  const tocEntry = '<a href="#post_matrixclientv3things-2">post_matrixclientv3things</a>';
  assert.ok(headings.includes(tocEntry), 'the table of contents follows');
  assert.match(headings, /<h2 id="heading">!!!<\/h2>/, 'a heading of punctuation gets a fallback id');
  assert.match(headings, /<h2 id="heading-1">🎉<\/h2>/, 'numbered when it repeats');
  assert.match(headings, /<main id="content"/);
  assert.match(headings, /<section class="event" id="content_2"/, 'an event named like the layout\'s id gives way');
  assert.match(headings, /<section class="event" id="mab"/);
  assert.match(headings, /<section class="event" id="mab_2"/, 'two event types that anchor alike stay apart');
  assert.ok(headings.includes('Posts a &lt;script&gt;alert(&quot;summary&quot;)&lt;/script&gt; thing.'));
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    assert.ok(headings.includes(`<code>${key}</code>`), `the data key ${key} is a row`);
  }
  assert.ok(headings.includes('<span class="hljs-attr">&quot;__proto__&quot;</span>'), 'and example keys');
  assert.ok(headings.includes('<td class="type">Script link</td>'), 'a refused format URL leaves its title as text');
  assert.ok(headings.includes('<a href="/appendices/#good-path">Good path</a>'), 'a good format URL is a link');

  const index = files.get('index.html')!;
  const title = '&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; friends';
  assert.ok(index.includes(`<title>${title} · Matrix Specification</title>`));
  assert.ok(files.get(pagePath('/client-server-api/'))!.includes('<h2 id="other-endpoints-2">Other endpoints</h2>'));
  // A page named constructor places an endpoint of the API named constructor.
  assert.ok(files.get(pagePath('/constructor/'))!.includes('id="get_matrixoddv1parts"'));
  assert.ok(!files.get(pagePath('/toString/'))!.includes('class="endpoint'), 'a page named toString documents no API');
  assert.ok(files.get(pagePath('/appendices/'))!.includes('<h2 id="format-mx-good-path-2">'));
  for (const url of ['/bad--name-api/', '/1-weird-api-api/', '/__proto__-api/']) {
    assert.ok(files.has(pagePath(url)), url);
  }
  for (const api of ['bad--name', '1-weird-api', '__proto__', 'constructor']) {
    assert.ok(build.files.has(`${api}/openapi.json`), api);
  }
  assert.deepEqual([...build.files.keys()].filter((f) => f.startsWith('changelog/')).sort(),
    ['changelog/index.html', 'changelog/unreleased/index.html', 'changelog/v1.0/index.html']);
});

test('injection: without the refused URLs and names, the hostile tree builds, and the written pages are safe', () => {
  const root = hostileTree('written');
  const formats = join(root, 'data', 'string-formats.yaml');
  const text = readFileSync(formats, 'utf8');
  writeFileSync(formats, text.slice(0, text.indexOf('mx-script-url:')));
  for (const file of BAD_RELEASES) rmSync(join(root, 'changelogs', 'releases', file));
  const out = join(WORK, 'written-out');
  const r = mxspec(['site', '--root', root, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const html = walk(out).filter((f) => f.endsWith('.html'));
  assert.ok(html.length >= 10);
  for (const file of html) assertPageSafe(relative(out, file).split(sep).join('/'), readFileSync(file, 'utf8'));
});
