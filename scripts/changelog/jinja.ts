import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { pyLen, pyStrip, splitLinesKeepEnds } from './python.js';

/**
 * Jinja2 templates, as towncrier renders them (`Template(source, trim_blocks=True)`), on nunjucks.
 *
 * nunjucks parses Jinja's syntax; where its meaning differs from Jinja's, the parsed template is
 * rewritten before it is compiled: Python truth (an empty dict or list is false), `str * n`,
 * `list + list`, `for x in y if cond`, Python's `str()` of None and booleans, dict and string
 * methods (`.items()`, `.split()`, …), lengths in code points, comments trimmed like blocks.
 *
 * Templates come from the tree, so from strangers: rendering one must not reach anything but the
 * data it is given. Every attribute and item lookup goes through `get`, which reads only the data's
 * own entries; names of Object.prototype and names starting with "__" are refused; regex literals,
 * `include`, `import` and `extends` are refused; and loops, `range`, string growth and output are
 * bounded, so a template can neither run code, read files, hang nor exhaust memory.
 */

export class TemplateError extends Error {}

/** Bounds on one rendering: loop iterations (all loops together), characters of one value and of the output. */
const MAX_ITERATIONS = 200_000;
const MAX_STRING = 8 * 1024 * 1024;
const MAX_OUTPUT = 64 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Python values: dicts keep their order (whatever their keys look like) and know they are dicts.

const dicts = new WeakSet<object>();

/** A Python dict for a template: ordered string keys, read by `d[k]`, `d.k`, `k in d`, `for k in d`. */
export function pyDict(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  const map = new Map<string, unknown>(entries);
  const proxy = new Proxy(Object.create(null) as Record<string, unknown>, {
    get: (_t, key) => (typeof key === 'string' ? map.get(key) : undefined),
    has: (_t, key) => typeof key === 'string' && map.has(key),
    ownKeys: () => [...map.keys()],
    getOwnPropertyDescriptor: (_t, key) => (typeof key === 'string' && map.has(key)
      ? { value: map.get(key), enumerable: true, configurable: true, writable: false } : undefined),
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  });
  dicts.add(proxy);
  return proxy;
}

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && dicts.has(v);
const dictEntries = (d: Record<string, unknown>): [string, unknown][] => Object.keys(d).map((k) => [k, d[k]]);

/** Python's truth value. */
export function pyTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  if (v instanceof nunjucks.runtime.SafeString) return v.toString() !== '';
  return Boolean(v);
}

function pyRepr(v: unknown): string {
  if (typeof v !== 'string') return pyStr(v);
  if (v.includes("'") && !v.includes('"')) return `"${v}"`;
  return `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** Python's str() of a template value; Jinja prints undefined names as nothing. */
export function pyStr(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'inf' : v < 0 ? '-inf' : 'nan';
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isDict(v)) return `{${dictEntries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  if (typeof v === 'function') return '<function>';
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// The operations the rewritten template calls.

/** Refused as names and as keys: they reach into JavaScript rather than into the data. */
const FORBIDDEN = new Set([
  ...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'caller', 'callee', 'arguments',
]);
const forbiddenName = (name: string) => FORBIDDEN.has(name) || name.startsWith('__');

class Budget {
  iterations = 0;
  output = 0;

  iterate(n: number): void {
    this.iterations += n;
    if (this.iterations > MAX_ITERATIONS) {
      throw new TemplateError(`the template loops more than ${MAX_ITERATIONS} times in all`);
    }
  }

  string(s: string): string {
    if (s.length > MAX_STRING) {
      throw new TemplateError(`the template builds a string of more than ${MAX_STRING} characters`);
    }
    return s;
  }

  emit(s: string): string {
    this.output += s.length;
    if (this.output > MAX_OUTPUT) throw new TemplateError(`the template writes more than ${MAX_OUTPUT} characters`);
    return s;
  }
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (isDict(v)) return 'dict';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'string' ? 'str' : 'object';
}

function repeat(budget: Budget, seq: string | unknown[], n: number): string | unknown[] {
  const times = Math.max(0, Math.trunc(n));
  if (seq.length * times > MAX_STRING) {
    throw new TemplateError(`the template builds a value of more than ${MAX_STRING} items`);
  }
  return typeof seq === 'string' ? budget.string(seq.repeat(times)) : Array.from({ length: times }, () => seq).flat();
}

function mul(budget: Budget, a: unknown, b: unknown): unknown {
  if ((typeof a === 'string' || Array.isArray(a)) && typeof b === 'number') return repeat(budget, a, b);
  if (typeof a === 'number' && (typeof b === 'string' || Array.isArray(b))) return repeat(budget, b, a);
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  throw new TemplateError(`unsupported operand type(s) for *: '${typeName(a)}' and '${typeName(b)}'`);
}

function add(budget: Budget, a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === 'string' && typeof b === 'string') return budget.string(a + b);
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  throw new TemplateError(`unsupported operand type(s) for +: '${typeName(a)}' and '${typeName(b)}'`);
}

/** `obj.key` and `obj[key]`: own data only, as Jinja reads items and attributes of plain data. */
function get(obj: unknown, key: unknown): unknown {
  if (obj === null || obj === undefined) return undefined;
  if (typeof key === 'string' && forbiddenName(key)) return undefined;
  if (isDict(obj)) return typeof key === 'string' ? obj[key] : undefined;
  if (typeof obj === 'string' || Array.isArray(obj)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) return undefined;
    const items = typeof obj === 'string' ? [...obj] : obj;
    return items[key < 0 ? items.length + key : key];
  }
  const plainKey = typeof key === 'string' || typeof key === 'number';
  if (typeof obj === 'object' && plainKey && Object.prototype.hasOwnProperty.call(obj, key)) {
    const value = (obj as Record<string, unknown>)[key];
    return typeof value === 'function' ? undefined : value;
  }
  return undefined;
}

/** Keyword arguments arrive as a last object marked `__keywords`. */
function splitArgs(args: unknown[]): { positional: unknown[]; keywords: Record<string, unknown> } {
  const last = args[args.length - 1] as Record<string, unknown> | undefined;
  if (last && typeof last === 'object' && last.__keywords === true) {
    const { __keywords: _, ...keywords } = last;
    return { positional: args.slice(0, -1), keywords };
  }
  return { positional: args, keywords: {} };
}

/** Python's str.split(sep, maxsplit). */
function pySplit(s: string, sep: unknown, maxsplit: number): string[] {
  const limit = maxsplit < 0 ? Infinity : maxsplit;
  if (sep === undefined || sep === null) {
    const words: string[] = [];
    let rest = pyStrip(s, 'left');
    while (rest !== '') {
      if (words.length >= limit) { words.push(rest); break; }
      let end = 0;
      while (end < rest.length && pyStrip(rest[end]!) !== '') end++;
      words.push(rest.slice(0, end));
      rest = pyStrip(rest.slice(end), 'left');
    }
    return words;
  }
  const separator = String(sep);
  if (separator === '') throw new TemplateError('empty separator');
  const out: string[] = [];
  let start = 0;
  for (let at = s.indexOf(separator); at !== -1 && out.length < limit; at = s.indexOf(separator, start)) {
    out.push(s.slice(start, at));
    start = at + separator.length;
  }
  out.push(s.slice(start));
  return out;
}

function stripChars(s: string, chars: unknown, side: 'both' | 'left' | 'right'): string {
  if (chars === undefined || chars === null) return pyStrip(s, side);
  const set = new Set([...String(chars)]);
  const cps = [...s];
  let start = 0;
  let end = cps.length;
  if (side !== 'right') while (start < end && set.has(cps[start]!)) start++;
  if (side !== 'left') while (end > start && set.has(cps[end - 1]!)) end--;
  return cps.slice(start, end).join('');
}

type Method = (self: never, args: unknown[], keywords: Record<string, unknown>, budget: Budget) => unknown;

const STRING_METHODS: Record<string, Method> = {
  upper: (s: string) => s.toUpperCase(),
  lower: (s: string) => s.toLowerCase(),
  strip: (s: string, [c]) => stripChars(s, c, 'both'),
  lstrip: (s: string, [c]) => stripChars(s, c, 'left'),
  rstrip: (s: string, [c]) => stripChars(s, c, 'right'),
  split: (s: string, [sep, max], kw) => pySplit(s, kw.sep ?? sep, Number(kw.maxsplit ?? max ?? -1)),
  splitlines: (s: string, [keep]) => splitLinesKeepEnds(s)
    .map((l) => (keep ? l : l.replace(/(\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])$/, ''))),
  startswith: (s: string, [p]) => (Array.isArray(p) ? p.some((x) => s.startsWith(String(x))) : s.startsWith(String(p))),
  endswith: (s: string, [p]) => (Array.isArray(p) ? p.some((x) => s.endsWith(String(x))) : s.endsWith(String(p))),
  replace: (s: string, [a, b, n], _kw, budget) => {
    const parts = pySplit(s, a, n === undefined ? -1 : Number(n));
    return budget.string(parts.join(String(b)));
  },
  join: (s: string, [items], _kw, budget) => budget.string(iterate(budget, items).map(pyStr).join(s)),
  count: (s: string, [x]) => (String(x) === '' ? pyLen(s) + 1 : s.split(String(x)).length - 1),
  find: (s: string, [x]) => s.indexOf(String(x)),
  title: (s: string) => s.toLowerCase()
    .replace(/(^|[^\p{L}])(\p{L})/gu, (_m, pre: string, ch: string) => pre + ch.toUpperCase()),
  capitalize: (s: string) => { const [f = '', ...r] = [...s]; return f.toUpperCase() + r.join('').toLowerCase(); },
  isdigit: (s: string) => /^[0-9]+$/.test(s),
};

const DICT_METHODS: Record<string, Method> = {
  items: (d: Record<string, unknown>) => dictEntries(d),
  keys: (d: Record<string, unknown>) => Object.keys(d),
  values: (d: Record<string, unknown>) => Object.values(d),
  get: (d: Record<string, unknown>, [k, fallback]) => (typeof k === 'string' && k in d ? d[k] : fallback ?? null),
};

const LIST_METHODS: Record<string, Method> = {
  index: (l: unknown[], [x]) => {
    const i = l.indexOf(x);
    if (i === -1) throw new TemplateError(`${pyRepr(x)} is not in list`);
    return i;
  },
  count: (l: unknown[], [x]) => l.filter((y) => y === x).length,
};

/** `obj.name(args)`: the Python methods of str, dict and list that templates use. */
function call(budget: Budget, obj: unknown, name: unknown, ...args: unknown[]): unknown {
  const { positional, keywords } = splitArgs(args);
  const table = typeof obj === 'string' ? STRING_METHODS
    : isDict(obj) ? DICT_METHODS
      : Array.isArray(obj) ? LIST_METHODS : undefined;
  const known = typeof name === 'string' && table && Object.prototype.hasOwnProperty.call(table, name);
  const method = known ? table[name as string] : undefined;
  if (!method) throw new TemplateError(`'${typeName(obj)}' object has no method '${String(name)}' that mxspec knows`);
  return method(obj as never, positional, keywords, budget);
}

/** What a `for` loop walks: a dict's keys, a string's characters, a list; counted against the budget. */
function iterate(budget: Budget, v: unknown): unknown[] {
  let items: unknown[];
  if (v === undefined || v === null) items = [];
  else if (Array.isArray(v)) items = v;
  else if (isDict(v)) items = Object.keys(v);
  else if (typeof v === 'string') items = [...v];
  else if (typeof v === 'object') items = Object.keys(v);
  else throw new TemplateError(`'${typeName(v)}' object is not iterable`);
  budget.iterate(items.length);
  return items;
}

function range(budget: Budget, start: number, stop?: number, step = 1): number[] {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new TemplateError('range() arg 3 must not be zero');
  const count = Math.max(0, Math.ceil((to - from) / step));
  budget.iterate(count);
  return Array.from({ length: count }, (_, i) => from + i * step);
}

/** Jinja's length: code points of a string, entries of a dict, items of a list. */
function length(v: unknown): number {
  if (typeof v === 'string') return pyLen(v);
  if (Array.isArray(v)) return v.length;
  if (isDict(v)) return Object.keys(v).length;
  if (v instanceof nunjucks.runtime.SafeString) return pyLen(v.toString());
  if (v && typeof v === 'object') return Object.keys(v).length;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Rewriting the parsed template.

interface Node { typename: string; lineno: number; colno: number; fields: string[]; [field: string]: unknown }
type NodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => Node;

interface Compiler { compile(ast: Node): void; getCode(): string }

interface Internals {
  nodes: Record<string, NodeClass> & { Node: NodeClass };
  parser: { parse(src: string, extensions: unknown[], opts: object): Node };
  transformer: { transform(ast: Node, asyncFilters: string[], name: string): Node };
  compiler: { Compiler: new (name: string, throwOnUndefined: boolean) => Compiler };
}

// The transformer is not part of nunjucks' exports; it is part of its package.
const N: Internals = {
  ...(nunjucks as unknown as Internals),
  transformer: createRequire(import.meta.url)('nunjucks/src/transformer') as Internals['transformer'],
};
const { nodes } = N;
const is = (node: unknown, type: string): boolean => node instanceof nodes[type]!;

const HELPER = '__jj_';

function helperCall(at: Node, name: string, args: unknown[]): Node {
  const { lineno, colno } = at;
  const callee = new nodes.Symbol!(lineno, colno, HELPER + name);
  return new nodes.FunCall!(lineno, colno, callee, new nodes.NodeList!(lineno, colno, args));
}

const truthyOf = (node: Node) => helperCall(node, 'truthy', [node]);

const REFUSED_TAGS: Record<string, string> = {
  Include: 'include', Import: 'import', FromImport: 'from … import', Extends: 'extends', Block: 'block',
  CallExtension: 'an extension',
};

/** Fields that bind names rather than read them: left as they are. */
const BINDINGS: Record<string, string[]> = {
  For: ['name'], Set: ['targets'], Macro: ['name', 'args'], Caller: ['name', 'args'], Is: ['right'],
};

function checkName(node: Node): void {
  if (is(node, 'Symbol') && typeof node.value === 'string' && forbiddenName(node.value)) {
    throw new TemplateError(`line ${node.lineno + 1}: the name "${node.value}" cannot be used in a template`);
  }
  if (is(node, 'Literal') && !is(node, 'TemplateData') && typeof node.value === 'string' && FORBIDDEN.has(node.value)) {
    throw new TemplateError(`line ${node.lineno + 1}: the string "${node.value}" cannot be used in a template`);
  }
  if (is(node, 'Literal') && node.value instanceof RegExp) {
    throw new TemplateError(`line ${node.lineno + 1}: regular expression literals are not supported`);
  }
  const refused = Object.keys(REFUSED_TAGS).find((t) => nodes[t] && is(node, t));
  if (refused) {
    const tag = REFUSED_TAGS[refused];
    throw new TemplateError(`line ${node.lineno + 1}: "${tag}" is not supported: a changelog template is one file`);
  }
}

/** Checks every name in the tree, binding names included. */
function checkAll(node: unknown): void {
  if (!(node instanceof nodes.Node)) return;
  checkName(node);
  for (const field of node.fields) {
    const v = node[field];
    if (Array.isArray(v)) v.forEach(checkAll);
    else checkAll(v);
  }
}

function walk(node: unknown): unknown {
  if (!(node instanceof nodes.Node)) return node;
  const skip = Object.entries(BINDINGS).find(([t]) => is(node, t))?.[1] ?? [];
  if (is(node, 'FunCall') && !is(node, 'Filter') && is(node.name, 'LookupVal')) return methodCall(node);
  for (const field of node.fields) {
    if (skip.includes(field)) continue;
    const v = node[field];
    node[field] = Array.isArray(v) ? v.map(walk) : walk(v);
  }
  return rewrite(node);
}

/** `obj.name(args)` becomes `call(obj, "name", args)`. */
function methodCall(node: Node): Node {
  const callee = node.name as Node;
  const args = (node.args as Node & { children: unknown[] }).children.map(walk);
  return helperCall(node, 'call', [walk(callee.target), walk(callee.val), ...args]);
}

const PY_CONSTANTS: Record<string, unknown> = { True: true, False: false, None: null };
const OPERATORS: Record<string, string> = { Mul: 'mul', Add: 'add', Concat: 'concat' };

function rewrite(node: Node): Node {
  if (is(node, 'Symbol') && typeof node.value === 'string' && node.value in PY_CONSTANTS) {
    return new nodes.Literal!(node.lineno, node.colno, PY_CONSTANTS[node.value]);
  }
  if (is(node, 'LookupVal')) return helperCall(node, 'get', [node.target, node.val]);
  const op = Object.keys(OPERATORS).find((t) => is(node, t));
  if (op) return helperCall(node, OPERATORS[op]!, [node.left, node.right]);
  // `a and b` is b when a is true, else a; `a or b` is a when a is true, else b.
  const { lineno, colno } = node;
  if (is(node, 'And')) return new nodes.InlineIf!(lineno, colno, truthyOf(node.left as Node), node.right, node.left);
  if (is(node, 'Or')) return new nodes.InlineIf!(lineno, colno, truthyOf(node.left as Node), node.left, node.right);
  if (is(node, 'Not')) node.target = truthyOf(node.target as Node);
  else if (is(node, 'If') || is(node, 'InlineIf')) node.cond = truthyOf(node.cond as Node);
  else if (is(node, 'For')) return rewriteFor(node);
  else if (is(node, 'Output')) rewriteOutput(node as Node & { children: Node[] });
  return node;
}

let filtered = 0;

/**
 * `for x in y if cond` reaches nunjucks as `for x in (y if cond)`. Jinja filters before looping
 * (so `loop.index`, `loop.last` and `else` see only the items kept): the items that pass are
 * gathered by a first loop, and the body runs over them in a second.
 */
function rewriteFor(node: Node): Node {
  const arr = node.arr as Node;
  node.arr = helperCall(node, 'iter', [node.arr]);
  if (!is(arr, 'InlineIf') || arr.else_ !== null) return node;
  const { lineno, colno } = node;
  const kept = () => new nodes.Symbol!(lineno, colno, `${HELPER}kept${filtered}`);
  filtered++;
  const names = node.name as Node & { children?: Node[] };
  const item = is(names, 'Array')
    ? new nodes.Array!(lineno, colno, (names.children ?? []).map((n) => new nodes.Symbol!(lineno, colno, n.value)))
    : new nodes.Symbol!(lineno, colno, names.value);
  const keep = new nodes.Output!(lineno, colno, [helperCall(node, 'keep', [kept(), item])]);
  const test = new nodes.If!(lineno, colno, arr.cond, new nodes.NodeList!(lineno, colno, [keep]), null);
  const body = new nodes.NodeList!(lineno, colno, [test]);
  const gather = new nodes.For!(lineno, colno, helperCall(node, 'iter', [arr.body]), node.name, body, null);
  node.arr = helperCall(node, 'iter', [kept()]);
  const start = new nodes.Set!(lineno, colno, [kept()], helperCall(node, 'list', []));
  return new nodes.NodeList!(lineno, colno, [start, gather, node]);
}

/** Printed values take Python's str(); literal text is counted against the output budget too. */
function rewriteOutput(node: Node & { children: Node[] }): void {
  node.children = node.children.map((child) => (is(child, 'TemplateData')
    ? helperCall(child, 'data', [new nodes.Literal!(child.lineno, child.colno, child.value)])
    : helperCall(child, 'str', [child])));
}

// ---------------------------------------------------------------------------------------------
// The source, prepared as Jinja reads it.

/** Where a `{{ … }}` or `{% … %}` tag ends, quotes inside it respected. */
function tagEnd(src: string, from: number, close: string): number {
  let quote = '';
  for (let i = from; i < src.length; i++) {
    const ch = src[i]!;
    if (quote) { if (ch === '\\') i++; else if (ch === quote) quote = ''; continue; }
    if (ch === '"' || ch === "'") quote = ch;
    else if (src.startsWith(close, i)) return i + close.length;
  }
  return src.length;
}

const isSpace = (ch: string) => ch === ' ' || (ch >= '\t' && ch <= '\r');

function trimEnd(s: string): string {
  let end = s.length;
  while (end > 0 && isSpace(s[end - 1]!)) end--;
  return s.slice(0, end);
}

/** `{%+ … %}` only matters for lstrip_blocks (off); `… +%}` keeps the newline trim_blocks would take. */
function plusModifiers(tag: string): string {
  let out = tag.startsWith('{%+') ? `{%${tag.slice(3)}` : tag;
  if (out.endsWith('+%}')) out = `${out.slice(0, -3)}%}{{ '' }}`;
  return out;
}

/**
 * Jinja's newlines (`\r\n` and `\r` read as `\n`), its comments (gone, with the newline after
 * them under trim_blocks, and `{#-`/`-#}` trimming whitespace) and its dropped final newline.
 */
export function prepareSource(source: string): string {
  const src = source.replace(/\r\n?/g, '\n');
  let out = '';
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{', i);
    if (open === -1) { out += src.slice(i); break; }
    out += src.slice(i, open);
    const two = src.slice(open, open + 2);
    if (two === '{{' || two === '{%') {
      const end = tagEnd(src, open + 2, two === '{{' ? '}}' : '%}');
      const tag = src.slice(open, end);
      out += two === '{%' ? plusModifiers(tag) : tag;
      i = end;
      if (two === '{%' && /^\{%[-+]?\s*raw\s*[-+]?%\}$/.test(tag)) {
        const close = src.indexOf('endraw', i);
        const stop = close === -1 ? src.length : tagEnd(src, close, '%}');
        out += src.slice(i, stop);
        i = stop;
      }
      continue;
    }
    if (two !== '{#') { out += '{'; i = open + 1; continue; }
    const close = src.indexOf('#}', open + 2);
    const end = close === -1 ? src.length : close + 2;
    if (src[open + 2] === '-') out = trimEnd(out);
    i = end;
    if (src[end - 3] === '-') while (i < src.length && isSpace(src[i]!)) i++;
    else if (src[i] === '\n') i++;
  }
  return out.endsWith('\n') ? out.slice(0, -1) : out;
}

// ---------------------------------------------------------------------------------------------

export interface JinjaTemplate { render(context: Record<string, unknown>): string }

function environment(budget: Budget): nunjucks.Environment {
  const options = { autoescape: false, trimBlocks: true, lstripBlocks: false, throwOnUndefined: false };
  const env = new nunjucks.Environment([], options);
  const helpers: Record<string, (...args: never[]) => unknown> = {
    truthy: pyTruthy,
    str: (v: unknown) => budget.emit(pyStr(v)),
    data: (s: string) => budget.emit(s),
    get,
    call: (obj: unknown, name: unknown, ...args: unknown[]) => call(budget, obj, name, ...args),
    mul: (a: unknown, b: unknown) => mul(budget, a, b),
    add: (a: unknown, b: unknown) => add(budget, a, b),
    concat: (a: unknown, b: unknown) => budget.string(pyStr(a) + pyStr(b)),
    iter: (v: unknown) => iterate(budget, v),
    list: () => [],
    keep: (list: unknown[], item: unknown) => { list.push(item); return ''; },
  };
  for (const [name, fn] of Object.entries(helpers)) env.addGlobal(HELPER + name, fn);
  env.addGlobal('range', (start: number, stop?: number, step?: number) => range(budget, start, stop, step));
  env.addFilter('length', length);
  env.addFilter('count', length);
  env.addFilter('list', (v: unknown) => [...iterate(budget, v)]);
  env.addFilter('string', pyStr);
  const tables = env as unknown as Record<'filters' | 'tests' | 'globals', Record<string, unknown>>;
  // Every other filter still cannot build an unbounded string.
  for (const [name, filter] of Object.entries(tables.filters)) {
    env.addFilter(name, (...args: unknown[]) => {
      const result = (filter as (...a: unknown[]) => unknown)(...args);
      if (typeof result === 'string') budget.string(result);
      return result;
    });
  }
  // Filters, tests and globals are looked up by name, some names computed (select("name")): no
  // name may reach Object.prototype.
  for (const table of ['filters', 'tests', 'globals'] as const) {
    tables[table] = Object.assign(Object.create(null) as Record<string, unknown>, tables[table]);
  }
  return env;
}

/** nunjucks' message in one line, without the template name it starts with (the caller names the template). */
function firstLine(err: unknown): string {
  const lines = (err instanceof Error ? err.message : String(err)).split('\n');
  let message = lines.map((l) => l.trim()).filter(Boolean).join(' ');
  if (message.startsWith('(')) message = message.slice(message.indexOf(')') + 1).trim();
  return message.startsWith('Error: ') ? message.slice('Error: '.length) : message;
}

/** Compiles a Jinja template; throws TemplateError for syntax it cannot run or refuses. */
export function compileJinja(source: string, name: string): JinjaTemplate {
  let code: string;
  try {
    const ast = N.parser.parse(prepareSource(source), [], { trimBlocks: true, lstripBlocks: false });
    checkAll(ast);
    walk(ast);
    const compiler = new N.compiler.Compiler(name, false);
    compiler.compile(N.transformer.transform(ast, [], name));
    code = compiler.getCode();
  } catch (err) {
    if (err instanceof TemplateError) throw err;
    throw new TemplateError(firstLine(err));
  }
  return {
    render(context) {
      const budget = new Budget();
      // nunjucks' own compiled output for the checked, rewritten template: what nunjucks itself would run.
      const props = new Function(code)() as object;
      const compiled = { type: 'code', obj: props } as unknown as string;
      const template = new nunjucks.Template(compiled, environment(budget), name, true);
      try {
        return template.render(context);
      } catch (err) {
        const cause = (err as { cause?: unknown }).cause;
        if (cause instanceof TemplateError) throw cause;
        throw new TemplateError(firstLine(err));
      }
    },
  };
}
