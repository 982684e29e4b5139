import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { assertNoCrash, hostileTree, readAll, type HostileTree } from '../testing/hostile.js';
import { cli, REPO } from '../testing/support.js';

/**
 * No network: a ruleset that extends a URL, a `$ref` to a server, and every other way Spectral
 * has of reaching outside the tree (files beside it, npm packages, custom functions, JSONPath
 * scripts) must each be one diagnostic, with no connection made and no code of the tree run.
 */
const FIXTURES = join(REPO, 'scripts', 'hardening', 'fixtures', 'network');

/**
 * A server that counts every connection (an https attempt is one too) and every request. It runs
 * in a worker thread because `cli()` blocks this one; the counts are shared memory.
 */
const SERVER = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const counts = new Int32Array(workerData.counts);
const server = createServer((req, res) => {
  Atomics.add(counts, 1, 1);
  res.setHeader('content-type', 'application/yaml');
  res.end(workerData.body);
});
server.on('connection', () => Atomics.add(counts, 0, 1));
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => parentPort.close()));
`;

/** What the server answers: a ruleset whose rule would flag every document, were it ever loaded. */
const REMOTE_RULESET = `rules:
  remote-rule:
    message: This rule was downloaded.
    given: $.info
    severity: error
    then:
      field: x-never-present
      function: truthy
`;

let worker: Worker;
let counts: Int32Array;
let server = '';

before(async () => {
  const shared = new SharedArrayBuffer(8);
  counts = new Int32Array(shared);
  worker = new Worker(SERVER, { eval: true, workerData: { counts: shared, body: REMOTE_RULESET } });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  server = `127.0.0.1:${port}`;
});

after(async () => {
  worker.postMessage('close');
  await new Promise((resolve) => worker.once('exit', resolve));
});

/** Connections and requests the server has seen, once any in flight has arrived. */
async function traffic(): Promise<{ connections: number; requests: number }> {
  await sleep(100);
  return { connections: Atomics.load(counts, 0), requests: Atomics.load(counts, 1) };
}

interface Case extends HostileTree {
  /** The text of a file of the tree as generated, by its path relative to the root. */
  text(rel: string): string;
  /** Where a run of code from the tree would leave its mark. */
  canary: string;
}

/**
 * The base tree with the overlays' files on top, the server's address written in, and
 * outside.yaml beside the tree.
 */
function makeCase(...overlays: string[]): Case {
  const files = new Map<string, string>();
  for (const overlay of overlays) for (const [rel, text] of readAll(join(FIXTURES, overlay))) files.set(rel, text);
  let canary = '';
  const fill = (text: string) => text.replaceAll('{{server}}', `http://${server}`)
    .replaceAll('{{secure}}', `https://${server}`)
    .replaceAll('{{canary}}', `process.getBuiltinModule(\`fs\`).writeFileSync(\`${canary}\`, \`ran\`)`);
  const tree = hostileTree();
  canary = join(tree.work, 'code-ran');
  for (const [rel, text] of files) {
    const abs = join(tree.root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, fill(text));
  }
  copyFileSync(join(FIXTURES, 'outside.yaml'), join(tree.work, 'outside.yaml'));
  return { ...tree, canary, text: (rel) => readFileSync(join(tree.root, rel), 'utf8') };
}

/** JavaScript that leaves the canary if it ever runs, in CommonJS as Spectral would load it. */
function canaryModule(c: Case, exported = '() => []'): string {
  return `require('node:fs').writeFileSync(${JSON.stringify(c.canary)}, 'ran');\nmodule.exports = ${exported};\n`;
}

function packageJson(name: string): string {
  return `${JSON.stringify({ name, main: 'index.js' })}\n`;
}

function writeTreeFile(c: Case, rel: string, text: string): void {
  mkdirSync(dirname(join(c.root, rel)), { recursive: true });
  writeFileSync(join(c.root, rel), text);
}

/** Where a top-level key of a YAML file is (at the start of a line). */
function keyAt(text: string, key: string): { line: number; column: number } {
  const at = position(text, `\n${key}:`);
  return { line: at.line + 1, column: 1 };
}

/** 1-based line and column of `needle` in `text`, searching from the first `after` if given. */
function position(text: string, needle: string, after = ''): { line: number; column: number } {
  const at = text.indexOf(needle, after ? text.indexOf(after) : 0);
  assert.ok(at !== -1, `${needle} is in the fixture`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

interface Found { file: string; line: number; column: number; rule: string; message: string }
interface Expected { file: string; at: { line: number; column: number }; rule: string; message: string }

/**
 * Lints the case with the real CLI and checks everything the issue asks: exit status 1, exactly
 * the expected diagnostics (place, rule, start of message), no stack trace, nothing from the
 * server or from outside.yaml, no connection, and no code of the tree run.
 */
async function assertLint(c: Case, expected: Expected[]): Promise<Found[]> {
  const r = cli(['lint', '--root', c.root, '--format', 'json']);
  assertNoCrash(r.stderr, r.stdout);
  assert.equal(r.stderr, '');
  const found = JSON.parse(r.stdout) as Found[];
  assert.deepEqual(
    found.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`),
    expected.map((e) => `${e.file}:${e.at.line}:${e.at.column} ${e.rule}`),
    JSON.stringify(found, null, 1),
  );
  found.forEach((d, i) => {
    const start = expected[i]!.message;
    assert.ok(d.message.startsWith(start), `${d.message}\n  should start with\n${start}`);
  });
  assert.equal(r.status, 1);
  const foreign = found.filter((d) => d.rule === 'spectral:outside-rule' || d.rule === 'spectral:remote-rule');
  assert.deepEqual(foreign, [], 'no rule from outside the tree ran');
  assert.deepEqual(await traffic(), { connections: 0, requests: 0 });
  assert.equal(existsSync(c.canary), false, 'no code of the tree ran');
  return found;
}

const RULESET = 'spectral:ruleset';
const URL_REFUSED = (url: string) => `The ruleset extends ${JSON.stringify(url)}, a URL; mxspec reads no network`;

test('network: a ruleset that extends a URL is refused without connecting', async () => {
  const c = makeCase('extends-url');
  try {
    const url = `http://${server}/ruleset.yaml`;
    const at = position(c.text('.spectral.yaml'), url);
    await assertLint(c, [{ file: '.spectral.yaml', at, rule: RULESET, message: URL_REFUSED(url) }]);
  } finally { c.cleanup(); }
});

test('network: http, https, extension-less and [name, severity] URLs in extends are each refused', async () => {
  const c = makeCase('extends-url-list');
  try {
    const text = c.text('.spectral.yaml');
    const urls = [`http://${server}/ruleset.yaml`, `https://${server}/ruleset.yml`, `http://${server}/ruleset`];
    await assertLint(c, [
      { file: '.spectral.yaml', at: position(text, urls[0]!), rule: RULESET, message: URL_REFUSED(urls[0]!) },
      { file: '.spectral.yaml', at: position(text, urls[1]!), rule: RULESET, message: URL_REFUSED(urls[1]!) },
      { file: '.spectral.yaml', at: position(text, `${urls[2]},`), rule: RULESET, message: URL_REFUSED(urls[2]!) },
    ]);
  } finally { c.cleanup(); }
});

test('network: a .spectral.json that extends a URL is refused the same way', async () => {
  const c = makeCase('extends-url-json');
  try {
    const url = `http://${server}/ruleset.json`;
    const at = position(c.text('.spectral.json'), `"${url}"`);
    await assertLint(c, [{ file: '.spectral.json', at, rule: RULESET, message: URL_REFUSED(url) }]);
  } finally { c.cleanup(); }
});

test('network: extends ../outside.yaml, beside the tree, is refused and its rule never runs', async () => {
  const c = makeCase('extends-outside');
  try {
    await assertLint(c, [{
      file: '.spectral.yaml', at: position(c.text('.spectral.yaml'), '../outside.yaml', 'extends:'), rule: RULESET,
      message: `The ruleset extends "../outside.yaml", which cannot be read: ${join(c.work, 'outside.yaml')} is `,
    }]);
  } finally { c.cleanup(); }
});

test('network: a ruleset of the tree that extends one outside it is refused where it says so', async () => {
  const c = makeCase('extends-outside-nested');
  try {
    await assertLint(c, [{
      file: 'rules/common.yaml', at: position(c.text('rules/common.yaml'), '../../outside.yaml'), rule: RULESET,
      message: 'The ruleset extends "../../outside.yaml", which cannot be read: ',
    }]);
  } finally { c.cleanup(); }
});

test('network: extends a symbolic link of the tree that leads outside it is refused', async () => {
  const c = makeCase('extends-link');
  try {
    mkdirSync(join(c.root, 'rules'));
    symlinkSync('../../outside.yaml', join(c.root, 'rules', 'linked.yaml'));
    await assertLint(c, [{
      file: '.spectral.yaml', at: position(c.text('.spectral.yaml'), './rules/linked.yaml'), rule: RULESET,
      message: 'The ruleset extends "./rules/linked.yaml", which cannot be read: rules/linked.yaml is a symbolic link',
    }]);
  } finally { c.cleanup(); }
});

const CONTACT = 'The API document names no contact.';
const THINGS = 'data/api/test/things.yaml';

/** The finding of the house rule info-has-contact on the base tree's API document. */
function contactFinding(c: Case): Expected {
  return { file: THINGS, at: keyAt(c.text(THINGS), 'info'), rule: 'spectral:info-has-contact', message: CONTACT };
}

test('network: a ruleset file inside the tree is extended and its rule runs, in YAML and in JSON', async () => {
  for (const overlay of ['extends-local', 'extends-local-json']) {
    const c = makeCase(overlay);
    try {
      await assertLint(c, [contactFinding(c)]);
    } finally { c.cleanup(); }
  }
});

test('network: extends naming an npm package is refused, even one the tree ships in node_modules', async () => {
  const c = makeCase('extends-package');
  try {
    writeTreeFile(c, 'node_modules/mxspec-house-rules/package.json', packageJson('mxspec-house-rules'));
    writeTreeFile(c, 'node_modules/mxspec-house-rules/index.js', canaryModule(c, '{ rules: {} }'));
    await assertLint(c, [{
      file: '.spectral.yaml', at: position(c.text('.spectral.yaml'), 'mxspec-house-rules', 'extends:'), rule: RULESET,
      message: 'The ruleset extends "mxspec-house-rules", which Spectral reads as an npm package',
    }]);
  } finally { c.cleanup(); }
});

test('network: custom functions are refused, in YAML and in JSON, and their JavaScript never runs', async () => {
  const variants = [
    ['functions', '.spectral.yaml', 'functionsDir:'], ['functions-json', '.spectral.json', '"functions"'],
  ] as const;
  for (const [overlay, file, first] of variants) {
    const c = makeCase(overlay);
    try {
      writeTreeFile(c, 'functions/flag.js', canaryModule(c));
      await assertLint(c, [{
        file, at: position(c.text(file), first), rule: RULESET,
        message: 'The Spectral ruleset names custom functions (',
      }]);
    } finally { c.cleanup(); }
  }
});

test('network: JSONPath filter expressions, which Spectral compiles into JavaScript, are refused', async () => {
  const c = makeCase('jsonpath-script');
  try {
    const text = c.text('.spectral.yaml');
    const message = 'The JSONPath "$';
    await assertLint(c, [
      { file: '.spectral.yaml', at: position(text, '"$[?(@property'), rule: RULESET, message },
      { file: '.spectral.yaml', at: position(text, '"$..[?('), rule: RULESET, message },
      { file: '.spectral.yaml', at: position(text, '"$[?(@.constructor'), rule: RULESET, message },
    ]);
  } finally { c.cleanup(); }
});

test('network: a look-alike of Spectral\'s functions in the tree\'s node_modules is never loaded', async () => {
  const c = makeCase('tree-modules');
  try {
    const modules = 'node_modules/@stoplight/spectral-functions';
    writeTreeFile(c, `${modules}/package.json`, packageJson('@stoplight/spectral-functions'));
    writeTreeFile(c, `${modules}/index.js`, canaryModule(c, '{ truthy: () => [] }'));
    // The real truthy ran: the missing contact is reported.
    await assertLint(c, [contactFinding(c)]);
  } finally { c.cleanup(); }
});

/** The two remote references of ref-http, as ref-resolves reports them. */
function refExpectations(c: Case): Expected[] {
  const file = 'data/api/test/remote.yaml';
  const text = c.text(file);
  return [`"http://${server}/schema.yaml"`, `"https://${server}/schema.yaml#/NotFound"`].map((ref) => {
    // ref-resolves points at the $ref key.
    const at = position(text, ref);
    const message = `${ref} is a remote reference`;
    return { file, at: { line: at.line, column: at.column - '$ref: '.length }, rule: 'ref-resolves', message };
  });
}

test('network: a $ref to http or https is a ref-resolves error, without a ruleset and with one', async () => {
  for (const overlays of [['ref-http'], ['ref-http', 'ruleset-plain']]) {
    const c = makeCase(...overlays);
    try {
      await assertLint(c, refExpectations(c));
    } finally { c.cleanup(); }
  }
});

test('network: mxspec site fails on a $ref to a server, writes nothing and connects to nothing', async () => {
  const c = makeCase('ref-http');
  try {
    const out = join(c.work, 'site');
    const r = cli(['site', '--root', c.root, '--out', out]);
    assertNoCrash(r.stderr, r.stdout);
    assert.equal(r.status, 1);
    for (const e of refExpectations(c)) assert.ok(r.stderr.includes(`${e.file}:${e.at.line}:${e.at.column}`), r.stderr);
    assert.match(r.stderr, /ref-resolves/);
    assert.equal(existsSync(out), false);
    assert.deepEqual(await traffic(), { connections: 0, requests: 0 });
  } finally { c.cleanup(); }
});

test('network: mxspec types connects to nothing for a $ref to a server', async () => {
  const c = makeCase('ref-http');
  try {
    const r = cli(['types', '--root', c.root, '--out', join(c.work, 'types')]);
    assertNoCrash(r.stderr, r.stdout);
    assert.deepEqual(await traffic(), { connections: 0, requests: 0 });
  } finally { c.cleanup(); }
});

test('network: mxspec types fails on a $ref to a server, as lint and site do', () => {
  const c = makeCase('ref-http');
  try {
    const out = join(c.work, 'types');
    const r = cli(['types', '--root', c.root, '--out', out]);
    assertNoCrash(r.stderr, r.stdout);
    for (const e of refExpectations(c)) assert.ok(r.stderr.includes(`${e.file}:${e.at.line}:${e.at.column}`), r.stderr);
    assert.equal(r.status, 1);
    assert.equal(existsSync(out), false);
  } finally { c.cleanup(); }
});
