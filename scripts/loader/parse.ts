import yaml from 'js-yaml';
import { computeLineStarts, quoted, type SourceFile } from '../core/source.js';

/** Where a mapping's or sequence's parts begin in its file (character offsets). */
export interface NodeInfo {
  file: SourceFile;
  start: number;
  /** Mapping: offset of each key. */
  keys?: Map<string, number>;
  /** Mapping: offset of each value. */
  values?: Map<string, number>;
  /** Sequence: offset of each item. */
  items?: number[];
}

/**
 * Positions of every parsed mapping and sequence, keyed by the object itself, so that code
 * holding any node of the model can say where it came from without carrying positions around.
 */
export const nodeInfo = new WeakMap<object, NodeInfo>();

export type ParseProblemKind = 'syntax' | 'duplicate-key' | 'empty' | 'binary' | 'encoding' | 'aliases' | 'unreadable';

export interface ParseProblem {
  kind: ParseProblemKind;
  offset: number;
  message: string;
  /** For duplicate keys: where the key first appeared. */
  firstOffset?: number;
}

interface Frame {
  start: number;
  result: unknown;
  children: Frame[];
}

/** Moves past spaces, line breaks and comments, to where a value really begins. */
function skipTrivia(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else if (c === 35 /* # */) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl + 1;
    } else break;
  }
  return i;
}

/** True when the text holds nothing but whitespace and comments: one linear scan, no regex. */
function onlyTrivia(text: string): boolean {
  return skipTrivia(text, 0) >= text.length;
}

/**
 * A file whose aliases expand to more nodes than this is refused: js-yaml shares aliased values,
 * so parsing a "billion laughs" file is cheap, but every walk that copies or prints it would not be.
 */
export const MAX_EXPANDED_NODES = 1_000_000;

/**
 * How many nodes the value has once every alias is expanded, counting each shared node's subtree
 * once per use, with a memo per node and an explicit stack: linear in the distinct nodes.
 */
export function expandedSize(root: unknown, limit = MAX_EXPANDED_NODES): number {
  if (root === null || typeof root !== 'object') return 1;
  const size = new Map<object, number>();
  // A cycle cannot come out of YAML text, but a value is never trusted to be a tree.
  const open = new Set<object>();
  const stack: object[] = [root];
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!;
    if (size.has(node)) {
      stack.pop();
      continue;
    }
    const children = Object.values(node).filter((v): v is object => v !== null && typeof v === 'object');
    if (!open.has(node)) {
      open.add(node);
      for (const c of children) if (!size.has(c) && !open.has(c)) stack.push(c);
      continue;
    }
    stack.pop();
    open.delete(node);
    let total = 1 + Object.keys(node).length;
    for (const c of children) total += size.get(c) ?? 0;
    size.set(node, Math.min(total, limit + 1));
  }
  return size.get(root) ?? 0;
}

/**
 * Parses YAML or JSON (js-yaml reads both) once, recording the position of every mapping key,
 * value and sequence item in `nodeInfo`. Duplicate keys are collected rather than fatal, so a
 * file with one keeps loading.
 */
export function parseSource(file: SourceFile): ParseProblem[] {
  const { text } = file;
  file.lineStarts = computeLineStarts(text);
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    return [{ kind: 'binary', offset: 0, message: 'This is a binary file, not YAML or JSON text.' }];
  }
  if (file.badUtf8At !== undefined) {
    return [
      {
        kind: 'encoding',
        offset: file.badUtf8At,
        message: 'The file is not valid UTF-8: this is its first invalid byte.',
      },
    ];
  }
  if (text.trim() === '' || onlyTrivia(text)) {
    return [{ kind: 'empty', offset: 0, message: 'The file is empty: it holds no YAML or JSON value.' }];
  }
  const problems: ParseProblem[] = [];
  const stack: Frame[] = [];
  let firstAlias: number | undefined;
  const listener = (event: 'open' | 'close', state: { position: number; result: unknown }) => {
    if (event === 'open') {
      stack.push({ start: state.position, result: undefined, children: [] });
      return;
    }
    let frame = stack.pop()!;
    frame.result = state.result;
    // js-yaml opens a second node around some scalars and sequence items; keep the inner one.
    if (frame.children.length === 1 && Object.is(frame.children[0]!.result, frame.result)) {
      frame = frame.children[0]!;
    }
    frame.start = skipTrivia(text, frame.start);
    const value = frame.result;
    if (value !== null && typeof value === 'object') {
      if (!nodeInfo.has(value)) record(frame, value);
      else firstAlias ??= frame.start;
    }
    const parent = stack[stack.length - 1];
    parent?.children.push(frame);
  };
  const record = (frame: Frame, value: object) => {
    const info: NodeInfo = { file, start: frame.start };
    const kids = frame.children;
    if (Array.isArray(value)) {
      // An empty item (`- ` alone) produces no node; then item positions cannot be paired.
      if (kids.length === value.length) info.items = kids.map((k) => k.start);
    } else {
      info.keys = new Map();
      info.values = new Map();
      const paired = kids.length % 2 === 0;
      for (let i = 0; i < kids.length; i += paired ? 2 : 1) {
        const keyFrame = kids[i]!;
        const key = String(keyFrame.result);
        if (key === '<<') continue;
        const seen = info.keys.get(key);
        if (seen !== undefined && paired) {
          problems.push({
            kind: 'duplicate-key',
            offset: keyFrame.start,
            firstOffset: seen,
            message: `Duplicate key ${quoted(key)}: the later value silently replaces the earlier one.`,
          });
          continue;
        }
        info.keys.set(key, keyFrame.start);
        if (paired) info.values.set(key, kids[i + 1]!.start);
      }
    }
    nodeInfo.set(value, info);
  };
  try {
    file.data = yaml.load(text, { json: true, listener, filename: file.rel } as yaml.LoadOptions);
    file.parsed = true;
  } catch (err) {
    const e = err as { mark?: { position: number }; reason?: string; message?: string };
    const reason = e.reason ?? e.message ?? String(err);
    problems.push({ kind: 'syntax', offset: e.mark?.position ?? 0, message: `YAML syntax error: ${reason}.` });
    file.data = undefined;
    file.parsed = false;
    return problems;
  }
  if (firstAlias !== undefined && expandedSize(file.data) > MAX_EXPANDED_NODES) {
    problems.push({
      kind: 'aliases',
      offset: firstAlias,
      message: `YAML aliases expand this file to over ${MAX_EXPANDED_NODES.toLocaleString('en')} values `
        + '(an alias bomb); it is not loaded.',
    });
    file.data = undefined;
    file.parsed = false;
    return problems;
  }
  if (file.data === undefined || file.data === null) {
    problems.push({ kind: 'empty', offset: 0, message: 'The file is empty: it holds no YAML or JSON value.' });
    file.parsed = false;
  }
  return problems;
}
