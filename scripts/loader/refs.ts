import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import type { SourceFile } from '../core/source.js';
import { parseSource, type ParseProblem } from './parse.js';
import { isObject, isRef, parsePointer } from './pointer.js';

/** A node of some file: what `$ref`s point at and walkers carry. */
export interface Located<T = unknown> {
  file: SourceFile;
  node: T;
}

export type Resolution = Located & { error?: undefined } | { error: string; file?: undefined; node?: undefined; loop?: Located[] };

/**
 * The set of files of one spec tree, each read and parsed at most once, and `$ref` resolution
 * between them. Files outside the initial scan (a `$ref` into a sibling folder) are read on
 * first reference.
 */
export class FileSet {
  readonly byAbs = new Map<string, SourceFile>();
  readonly problems: { file: SourceFile; problem: ParseProblem }[] = [];

  /**
   * `cache` carries parsed files from one load to the next (the dev server): a file whose text
   * has not changed is not parsed again.
   */
  constructor(readonly root: string, private readonly cache?: Map<string, { file: SourceFile; problems: ParseProblem[] }>) {}

  relOf(abs: string): string {
    return relative(this.root, abs).split(sep).join('/');
  }

  /** Reads and parses a file; undefined when there is no such file. */
  load(abs: string): SourceFile | undefined {
    const known = this.byAbs.get(abs);
    if (known) return known;
    if (!existsSync(abs) || !statSync(abs).isFile()) return undefined;
    const text = readFileSync(abs, 'utf8');
    const cached = this.cache?.get(abs);
    if (cached && cached.file.text === text) {
      this.byAbs.set(abs, cached.file);
      for (const problem of cached.problems) this.problems.push({ file: cached.file, problem });
      return cached.file;
    }
    const file: SourceFile = { abs, rel: this.relOf(abs), text, data: undefined, parsed: false, lineStarts: [0] };
    this.byAbs.set(abs, file);
    const problems = parseSource(file);
    for (const problem of problems) this.problems.push({ file, problem });
    this.cache?.set(abs, { file, problems });
    return file;
  }

  /** Resolves one `$ref` string written in `from`, without following further references. */
  resolveOnce(from: SourceFile, ref: string): Resolution {
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
      return { error: `"${ref}" is a remote reference; mxspec reads no network, so only relative file references resolve.` };
    }
    const hash = ref.indexOf('#');
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    let target = from;
    if (filePart !== '') {
      let decoded = filePart;
      try { decoded = decodeURI(filePart); } catch { /* keep */ }
      const abs = resolve(dirname(from.abs), decoded);
      const file = this.load(abs);
      if (!file) return { error: `"${ref}" points at ${this.relOf(abs)}, which does not exist.` };
      target = file;
    }
    if (!target.parsed) return { error: `"${ref}" points into ${target.rel}, which could not be parsed.` };
    const segments = parsePointer(fragment);
    if (!segments) return { error: `"${ref}" has a fragment that is not a JSON pointer (it must start with "/").` };
    let node: unknown = target.data;
    let file = target;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      // Walking through a reference on the way to the pointed-at node follows it, as
      // OpenAPI tools do.
      const seen = new Set<unknown>();
      while (isRef(node) && !(seg in node)) {
        if (seen.has(node)) return { error: `"${ref}" passes through a $ref cycle.` };
        seen.add(node);
        const next = this.resolveOnce(file, node.$ref);
        if (next.error !== undefined) return { error: `"${ref}" passes through a broken reference: ${next.error}` };
        file = next.file;
        node = next.node;
      }
      const container: unknown = node;
      if (Array.isArray(container) && /^(0|[1-9][0-9]*)$/.test(seg) && Number(seg) < container.length) {
        node = container[Number(seg)];
      } else if (isObject(container) && Object.prototype.hasOwnProperty.call(container, seg)) {
        node = container[seg];
      } else {
        const at = '/' + segments.slice(0, i + 1).join('/');
        return { error: `"${ref}" points at ${at} in ${file.rel}, which does not exist.` };
      }
    }
    return { file, node };
  }

  /**
   * Follows a chain of references until it reaches a node that is not one, reporting a chain
   * that loops (a → b → a) instead of recursing forever.
   */
  resolve(from: SourceFile, ref: string): Resolution {
    const chain: Located[] = [];
    let current = this.resolveOnce(from, ref);
    while (current.error === undefined && isRef(current.node)) {
      const again = chain.findIndex((l) => l.node === current.node);
      if (again !== -1) {
        return { error: 'This $ref is part of a cycle that never reaches a value.', loop: chain.slice(again) };
      }
      chain.push({ file: current.file, node: current.node });
      current = this.resolveOnce(current.file, current.node.$ref);
    }
    return current;
  }

  /** The node itself when it is not a reference, else what its reference chain reaches. */
  deref<T = unknown>(loc: Located<T>): Located | undefined {
    if (!isRef(loc.node)) return loc;
    const r = this.resolve(loc.file, loc.node.$ref);
    return r.error === undefined ? r : undefined;
  }
}
