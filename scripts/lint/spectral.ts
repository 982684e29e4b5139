import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Diagnostic, Severity } from '../core/diagnostic.js';
import { placeAt, type SourceFile } from '../core/source.js';
import { checkTreeFile, readTreeText, relToRoot, TreeAccessError } from '../core/tree.js';
import { placeAtPath, placeOf, valuePlaceOf } from '../loader/locate.js';
import type { Spec } from '../loader/model.js';
import { parseSource } from '../loader/parse.js';

const RULESET_NAMES = ['.spectral.yaml', '.spectral.yml', '.spectral.json'];

export function spectralRuleset(root: string): string | undefined {
  return RULESET_NAMES.map((n) => join(root, n)).find((p) => existsSync(p));
}

const require = createRequire(import.meta.url);

/** The rulesets Spectral ships; `extends: spectral:oas` is the only kind of name that is not a file. */
const BUILT_IN_RULESETS = new Set(['spectral:oas', 'spectral:asyncapi', 'spectral:arazzo']);

/**
 * The only modules a ruleset may load: Spectral's own functions, rulesets and formats, from
 * mxspec's installation. Anything else (a custom function, an npm package, a JavaScript ruleset)
 * would be code from the tree, or code reached through the tree's own node_modules.
 */
const RULESET_MODULES = new Set([
  '@stoplight/spectral-functions', '@stoplight/spectral-rulesets', '@stoplight/spectral-formats',
]);

const RULE = 'spectral:ruleset';

function problemAt(file: SourceFile, place: { line: number; column: number } | undefined, message: string): Diagnostic {
  return {
    file: file.rel, line: place?.line ?? 1, column: place?.column ?? 1, severity: 'error', rule: RULE, message,
  };
}

/** Reads and parses one ruleset file of the tree, with positions; a diagnostic when it cannot be. */
function parseRuleset(root: string, abs: string): SourceFile | Diagnostic {
  const rel = relToRoot(root, abs);
  let text;
  try {
    text = readTreeText(root, abs);
  } catch (err) {
    const message = `The Spectral ruleset cannot be read: ${(err as Error).message}`;
    return { file: rel, line: 1, column: 1, severity: 'error', rule: RULE, message };
  }
  const file: SourceFile = {
    abs, rel, text: text.text, data: undefined, parsed: false, lineStarts: [], badUtf8At: text.badUtf8At,
  };
  // A duplicate key is refused too: what Spectral would make of the ruleset is then a guess.
  const problem = parseSource(file)[0];
  if (problem) {
    return problemAt(file, placeAt(file, problem.offset), `The Spectral ruleset is not loaded: ${problem.message}`);
  }
  if (file.data === null || typeof file.data !== 'object' || Array.isArray(file.data)) {
    const message = 'A Spectral ruleset is a mapping (rules:, extends:, ...); this file holds something else.';
    return problemAt(file, placeAt(file, 0), message);
  }
  return file;
}

interface Extended { name: unknown; holder: object; key: string | number }

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The names a ruleset extends (itself and in its overrides), each with the node and key holding it. */
function extendedNames(ruleset: Record<string, unknown>): Extended[] {
  const overrides = ruleset['overrides'];
  const holders = [ruleset, ...(Array.isArray(overrides) ? overrides.filter(isMapping) : [])];
  const out: Extended[] = [];
  for (const holder of holders) {
    if (!Object.hasOwn(holder, 'extends')) continue;
    const value = holder['extends'];
    if (!Array.isArray(value)) { out.push({ name: value, holder, key: 'extends' }); continue; }
    value.forEach((entry: unknown, i) => {
      // `[name, severity]` pairs extend `name` with a severity.
      if (Array.isArray(entry)) out.push({ name: entry[0], holder: entry, key: 0 });
      else out.push({ name: entry, holder: value, key: i });
    });
  }
  return out;
}

type Target = { abs: string } | { refused: string } | undefined;

/**
 * What an `extends` entry names: a built-in ruleset (undefined), a ruleset file of the tree, or
 * something refused (a message). Spectral itself would fetch URLs, read any path, load npm
 * packages and JavaScript rulesets; mxspec allows none of that.
 */
function extendedFile(root: string, from: SourceFile, name: unknown): Target {
  if (typeof name !== 'string') {
    return { refused: 'An extends entry names a ruleset: a text such as ./common.yaml or spectral:oas.' };
  }
  if (BUILT_IN_RULESETS.has(name)) return undefined;
  const shown = JSON.stringify(name);
  if (/^[a-z][a-z0-9+.-]*:/i.test(name)) {
    return { refused: `The ruleset extends ${shown}, a URL; mxspec reads no network, so a ruleset may extend only `
      + 'files inside the tree and spectral:oas, spectral:asyncapi or spectral:arazzo.' };
  }
  if (!name.startsWith('./') && !name.startsWith('../') && !isAbsolute(name)) {
    return { refused: `The ruleset extends ${shown}, which Spectral reads as an npm package, that is code; `
      + `mxspec runs no code from the tree. Name a ruleset file of the tree by a relative path (./${name}).` };
  }
  if (!/\.(?:ya?ml|json)$/i.test(name)) {
    return { refused: `The ruleset extends ${shown}, which is not a .yaml, .yml or .json ruleset; a JavaScript `
      + 'ruleset is code, and mxspec runs no code from the tree.' };
  }
  const abs = isAbsolute(name) ? resolve(name) : resolve(dirname(from.abs), name);
  try {
    checkTreeFile(root, abs);
  } catch (err) {
    if (!(err instanceof TreeAccessError)) throw err;
    return { refused: `The ruleset extends ${shown}, which cannot be read: ${err.message}` };
  }
  return { abs };
}

/** One diagnostic for custom functions (`functions`, `functionsDir`), at the first key asking for them. */
function functionsProblem(file: SourceFile, ruleset: Record<string, unknown>): Diagnostic | undefined {
  const keys = Object.keys(ruleset).filter((k) => k === 'functions' || k === 'functionsDir');
  if (keys.length === 0) return undefined;
  const message = `The Spectral ruleset names custom functions (${keys.join(', ')}), which are JavaScript; `
    + 'mxspec runs no code from the tree. Use Spectral\'s built-in functions.';
  return problemAt(file, placeOf(ruleset, keys[0]!), message);
}

/** Keys whose strings are JSONPath: a rule's `given` and `then.field`, and everything under `aliases`. */
const JSONPATH_KEYS = new Set(['given', 'field', 'aliases']);

interface PathString { holder: object; key: string | number; value: string }

/**
 * JSONPaths with a filter or script expression (`$..[?(@.x)]`, `$[(...)]`): Spectral's JSONPath
 * engine compiles those into JavaScript, and `@.constructor.constructor(...)()` runs anything.
 * A parenthesis is where every such expression starts, so a path holding one is refused.
 * `skip` holds Spectral's own rulesets, which may use them.
 */
function scriptPaths(definition: object, skip: ReadonlySet<unknown> = new Set()): PathString[] {
  const out: PathString[] = [];
  const stack: { node: object; inPath: boolean }[] = [{ node: definition, inPath: false }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { node, inPath } = stack.pop()!;
    if (seen.has(node) || skip.has(node)) continue;
    seen.add(node);
    const list = Array.isArray(node);
    for (const [key, value] of Object.entries(node)) {
      // functionOptions are data for a built-in function (a schema may have a property `field`).
      if (key === 'functionOptions' && !list) continue;
      const path = inPath || (!list && JSONPATH_KEYS.has(key));
      if (value !== null && typeof value === 'object') stack.push({ node: value, inPath: path });
      else if (path && typeof value === 'string' && value.includes('(')) {
        out.push({ holder: node, key: list ? Number(key) : key, value });
      }
    }
  }
  return out;
}

const SCRIPT_REFUSAL = 'Spectral runs it as JavaScript, and mxspec runs no code from the tree. '
  + 'Use a plain path such as $.paths[*][get,put].';

function scriptProblems(file: SourceFile, ruleset: Record<string, unknown>): Diagnostic[] {
  return scriptPaths(ruleset).map(({ holder, key, value }) => problemAt(file, valuePlaceOf(holder, key),
    `The JSONPath ${JSON.stringify(value)} has a filter or script expression: ${SCRIPT_REFUSAL}`));
}

/** Refusals among the rulesets a ruleset extends; the files it may extend go on the queue. */
function extendsProblems(
  root: string, file: SourceFile, ruleset: Record<string, unknown>, enqueue: (abs: string) => void,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { name, holder, key } of extendedNames(ruleset)) {
    const target = extendedFile(root, file, name);
    if (target === undefined) continue;
    if ('refused' in target) out.push(problemAt(file, valuePlaceOf(holder, key), target.refused));
    else enqueue(target.abs);
  }
  return out;
}

/**
 * Checks a ruleset and every ruleset it extends before Spectral sees them: only files inside the
 * tree, no URL, no npm package, no JavaScript, no custom functions, no JSONPath scripts. Each
 * refusal is a diagnostic at the place that asks for it; any refusal means nothing is loaded.
 */
export function checkRuleset(root: string, rulesetPath: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const queue = [resolve(rulesetPath)];
  const seen = new Set(queue);
  const enqueue = (abs: string) => { if (!seen.has(abs)) { seen.add(abs); queue.push(abs); } };
  while (queue.length > 0) {
    const parsed = parseRuleset(root, queue.shift()!);
    if (!('abs' in parsed)) { out.push(parsed); continue; }
    const ruleset = parsed.data as Record<string, unknown>;
    const functions = functionsProblem(parsed, ruleset);
    if (functions) out.push(functions);
    out.push(...scriptProblems(parsed, ruleset), ...extendsProblems(root, parsed, ruleset, enqueue));
  }
  return out;
}

/**
 * The file system the ruleset migrator reads through: `promises.readFile` of regular files inside
 * the tree, and nothing else (any other call fails rather than reaching the real file system).
 */
function treeFs(root: string) {
  const readFile = async (path: unknown) => {
    const abs = path instanceof URL ? fileURLToPath(path) : String(path);
    return readTreeText(root, resolve(abs)).text;
  };
  return { promises: { readFile } };
}

/** Stands in for `fetch` wherever Spectral would use it: nothing leaves the machine. */
const offlineFetch = (async (url: unknown) => {
  throw new Error(`${String(url)}: mxspec reads no network; rulesets must be files inside the tree`);
}) as unknown as typeof fetch;

/** `require` for the migrated ruleset: Spectral's own modules, from mxspec's installation, only. */
function rulesetRequire(id: string): unknown {
  if (!RULESET_MODULES.has(id)) throw new Error(`the ruleset would load ${id}; mxspec runs no code from the tree`);
  return require(id);
}

/**
 * Loads a checked ruleset the way Spectral's bundler does (the migrator turns YAML or JSON into a
 * module that imports Spectral's functions), but without the bundler, which reads imports through
 * the real file system and resolves `require`s from the tree's own node_modules first.
 */
async function loadRuleset(root: string, rulesetPath: string): Promise<unknown> {
  type Migrator = typeof import('@stoplight/spectral-ruleset-migrator');
  const { migrateRuleset } = require('@stoplight/spectral-ruleset-migrator') as Migrator;
  const { Ruleset } = require('@stoplight/spectral-core') as typeof import('@stoplight/spectral-core');
  const options = { format: 'commonjs' as const, fs: treeFs(root) as never, fetch: offlineFetch };
  const code = await migrateRuleset(rulesetPath, options);
  const module: { exports?: unknown } = {};
  // The code is generated by the migrator from data (literals and imports of RULESET_MODULES).
  new Function('module', 'require', code)(module, rulesetRequire);
  const definition = module.exports;
  if (definition === null || typeof definition !== 'object') throw new Error('the ruleset defines nothing');
  // checkRuleset read the files with our parser and the migrator with its own: check what it built.
  const builtIn = new Set(Object.values(require('@stoplight/spectral-rulesets') as object));
  const script = scriptPaths(definition, builtIn)[0];
  if (script) {
    const shown = JSON.stringify(script.value);
    throw new Error(`the JSONPath ${shown} has a filter or script expression: ${SCRIPT_REFUSAL}`);
  }
  return new Ruleset(definition as never, { severity: 'recommended', source: rulesetPath });
}

/**
 * Spectral resolves `$ref`s in the documents it lints on its own, and by default fetches http(s)
 * references. This resolver fetches nothing and reads only files inside the tree; such references
 * are reported by ref-resolves already, so here they simply stay unresolved.
 */
function offlineResolver(root: string): unknown {
  const { Resolver } = require('@stoplight/spectral-ref-resolver') as { Resolver: new (opts: unknown) => unknown };
  const refuse = async (ref: { toString(): string }) => {
    throw new Error(`${ref.toString()}: mxspec reads no network`);
  };
  const readFile = async (ref: { href(): string }) => {
    let path = ref.href();
    try { path = decodeURIComponent(path); } catch { /* keep the raw text */ }
    // A scheme the resolver does not know is handed to the file resolver: only real paths are read.
    if (!isAbsolute(path)) throw new Error(`${path}: only files inside the spec tree are read`);
    return readTreeText(root, path).text;
  };
  const resolvers = { http: { resolve: refuse }, https: { resolve: refuse }, file: { resolve: readFile } };
  return new Resolver({ resolvers });
}

/** One reason Spectral gave for failing, and where in the ruleset it lies when it says. */
interface Failure { message: string; path?: (string | number)[] }

/**
 * Spectral's failures as diagnostics on the ruleset file (where they can be fixed), each at the
 * place its path leads to when Spectral names one, in one line.
 */
function failureDiagnostics(root: string, rulesetPath: string, what: string, failures: Failure[]): Diagnostic[] {
  const parsed = parseRuleset(root, rulesetPath);
  return failures.map(({ message, path }) => {
    const place = path && 'abs' in parsed ? placeAtPath(parsed.data, path) : undefined;
    const file = 'abs' in parsed ? parsed.rel : relToRoot(root, rulesetPath);
    const text = `${what}: ${message.split('\n')[0]}`;
    return { file, line: place?.line ?? 1, column: place?.column ?? 1, severity: 'error', rule: RULE, message: text };
  });
}

const SEVERITY: Record<number, Severity> = { 0: 'error', 1: 'warn', 2: 'info', 3: 'info' };

/**
 * Spectral's reports of `$ref`s it could not follow: ref-resolves reports every one of them
 * already, with a better message, so Spectral's copy would say the same thing twice.
 */
const DUPLICATED_CODES = new Set(['invalid-ref']);

/**
 * How long Spectral may take. It runs regexes on V8's backtracking engine, and some come from
 * the tree: a rule's `pattern`, and schema `pattern`s when spectral:oas validates examples. One
 * such regex can take exponential time, so Spectral runs in a worker that is stopped at this limit.
 */
export const SPECTRAL_TIME_LIMIT_MS = 60_000;

/** What the worker is given: the tree, the checked ruleset, and the API documents to lint. */
interface SpectralJob { root: string; rulesetPath: string; documents: { abs: string; text: string }[] }

/** One finding of Spectral, as plain data that crosses from the worker. */
interface SpectralResult {
  document: number; code: string; message: string; path: (string | number)[]; severity: number;
  source?: string; line: number; character: number;
}

type JobOutcome = { results: SpectralResult[] } | { failure: string; failures: Failure[] };

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)) || 'no reason given';
}

/** The reasons in an error: Spectral validates a ruleset into one AggregateError with a path for each. */
function failuresOf(err: unknown): Failure[] {
  const inner = (err as { errors?: unknown }).errors;
  if (!Array.isArray(inner) || inner.length === 0) return [{ message: errorText(err) }];
  return inner.map((e: unknown) => {
    const path = (e as { path?: unknown }).path;
    const valid = Array.isArray(path) && path.every((p) => typeof p === 'string' || typeof p === 'number');
    return { message: errorText(e), ...(valid ? { path: path as (string | number)[] } : {}) };
  });
}

/** Runs in the worker: loads the ruleset and lints each document. */
async function runJob(job: SpectralJob): Promise<JobOutcome> {
  let ruleset;
  try {
    ruleset = await loadRuleset(job.root, job.rulesetPath);
  } catch (err) {
    return { failure: 'The Spectral ruleset could not be loaded', failures: failuresOf(err) };
  }
  const core = require('@stoplight/spectral-core') as typeof import('@stoplight/spectral-core');
  const parsers = require('@stoplight/spectral-parsers') as typeof import('@stoplight/spectral-parsers');
  const spectral = new core.Spectral({ resolver: offlineResolver(job.root) as never });
  spectral.setRuleset(ruleset as never);
  const results: SpectralResult[] = [];
  for (const [document, { abs, text }] of job.documents.entries()) {
    try {
      for (const r of await spectral.run(new core.Document(text, parsers.Yaml, abs))) {
        if (DUPLICATED_CODES.has(String(r.code))) continue;
        results.push({
          document, code: String(r.code), message: r.message, path: [...r.path], severity: r.severity,
          source: r.source, line: r.range.start.line, character: r.range.start.character,
        });
      }
    } catch (err) {
      // A rule Spectral cannot apply (a JSONPath it cannot parse) fails the whole run.
      return { failure: 'Spectral could not run the ruleset', failures: failuresOf(err) };
    }
  }
  return { results };
}

/** Runs the job in a worker thread, stopped after `limitMs`; every way it can end is an outcome. */
function runInWorker(job: SpectralJob, limitMs: number): Promise<JobOutcome> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { spectralJob: job } });
    let settled = false;
    const settle = (outcome: JobOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({
      failure: `Spectral did not finish within ${limitMs / 1000} s and was stopped`,
      failures: [{ message: 'a regex of the ruleset, or a schema pattern that spectral:oas checks examples against, '
        + 'may take exponential time on some text' }],
    }), limitMs);
    worker.once('message', (outcome: JobOutcome) => settle(outcome));
    worker.once('error', (err) => settle({ failure: 'Spectral failed', failures: [{ message: errorText(err) }] }));
    const stopped = [{ message: 'it stopped without a result' }];
    worker.once('exit', () => settle({ failure: 'Spectral failed', failures: stopped }));
  });
}

const job = (workerData as { spectralJob?: SpectralJob } | null)?.spectralJob;
if (!isMainThread && job) void runJob(job).then((outcome) => parentPort!.postMessage(outcome));

/**
 * Runs the house rules of a `.spectral.yaml` on every API root file and returns their findings
 * as diagnostics (rule ids `spectral:<code>`). Spectral is loaded only when a ruleset exists: it
 * is the slowest part of linting and most trees have none.
 */
export async function runSpectral(
  spec: Spec, rulesetPath: string, limitMs = SPECTRAL_TIME_LIMIT_MS,
): Promise<Diagnostic[]> {
  const refusals = checkRuleset(spec.root, rulesetPath);
  if (refusals.length > 0) return refusals;
  const rel = (abs: string) => relToRoot(spec.root, abs);
  const roots = spec.roots.filter((r) => r.format !== 'not-openapi');
  const documents = roots.map((r) => ({ abs: r.file.abs, text: r.file.text }));
  const outcome = await runInWorker({ root: spec.root, rulesetPath, documents }, limitMs);
  if ('failure' in outcome) return failureDiagnostics(spec.root, rulesetPath, outcome.failure, outcome.failures);
  return outcome.results.map((r) => {
    const root = roots[r.document]!;
    const source = r.source ? rel(r.source) : root.file.rel;
    // Spectral points at values; where the path is in our model, point at the key as the
    // other rules do, so one problem reads the same whoever found it.
    const ours = source === root.file.rel && r.path.length ? placeAtPath(root.doc, r.path) : undefined;
    return {
      file: source, line: ours?.line ?? r.line + 1, column: ours?.column ?? r.character + 1,
      severity: SEVERITY[r.severity] ?? 'warn', rule: `spectral:${r.code}`, message: r.message,
      ...(r.path.length ? { hint: `at ${r.path.join('.')}` } : {}),
    };
  });
}
