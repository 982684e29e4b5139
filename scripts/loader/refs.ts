import { dirname, relative, resolve, sep } from 'node:path';
import { quoted, type SourceFile } from '../core/source.js';
import { decodeText, fileStamp, isWithin, readTreeBytes, TreeAccessError } from '../core/tree.js';
import { parseSource, type ParseProblem } from './parse.js';
import { isObject, isRef, parsePointer } from './pointer.js';

/** A node of some file: what `$ref`s point at and walkers carry. */
export interface Located<T = unknown> {
  file: SourceFile;
  node: T;
}

export type Resolution =
  (Located & { error?: undefined }) | { error: string; file?: undefined; node?: undefined; loop?: Located[] };

/**
 * The set of files of one spec tree, each read and parsed at most once, and `$ref` resolution
 * between them. Files outside the initial scan (a `$ref` into a sibling folder) are read on
 * first reference.
 */
/** A parsed file kept between loads, with the stamp of the file it was read from. */
export interface CachedFile { file: SourceFile; problems: ParseProblem[]; stamp?: string }

export class FileSet {
  readonly byAbs = new Map<string, SourceFile>();
  readonly problems: { file: SourceFile; problem: ParseProblem }[] = [];
  /** Why a path could not be read, by absolute path: asked again, it gives the same answer. */
  private readonly refused = new Map<string, TreeAccessError>();
  /** One-hop resolutions by file and reference text: files do not change during a load. */
  private readonly onceMemo = new Map<SourceFile, Map<string, Resolution>>();
  /** Whole-chain resolutions by the `$ref` object they start from. */
  private readonly chainMemo = new Map<object, Resolution>();
  /** References being resolved right now: one met again runs through itself. */
  private readonly resolving = new Set<string>();

  /**
   * `cache` carries parsed files from one load to the next (the dev server): a file whose text
   * has not changed is not parsed again.
   */
  constructor(
    readonly root: string,
    private readonly cache?: Map<string, CachedFile>,
  ) {}

  relOf(abs: string): string {
    return relative(this.root, abs).split(sep).join('/');
  }

  /**
   * Reads and parses a file of the tree, once. A file that may not be read (outside the tree,
   * a broken link, a FIFO…) is refused before reading: `TreeAccessError` comes back instead.
   */
  read(abs: string): SourceFile | TreeAccessError {
    const known = this.byAbs.get(abs) ?? this.refused.get(abs);
    if (known) return known;
    const cached = this.cache?.get(abs);
    // A file whose stamp is unchanged since it was read and checked is the same file: not read again.
    const stamp = this.cache ? fileStamp(abs) : undefined;
    if (cached && stamp !== undefined && cached.stamp === stamp) return this.reuse(abs, cached);
    let bytes: Buffer;
    try {
      bytes = readTreeBytes(this.root, abs);
    } catch (err) {
      if (!(err instanceof TreeAccessError)) throw err;
      this.refused.set(abs, err);
      return err;
    }
    const { text, badUtf8At } = decodeText(bytes);
    if (cached && cached.file.text === text && cached.file.badUtf8At === badUtf8At) {
      cached.stamp = stamp;
      return this.reuse(abs, cached);
    }
    const file: SourceFile = {
      abs,
      rel: this.relOf(abs),
      text,
      data: undefined,
      parsed: false,
      lineStarts: [0],
      badUtf8At,
    };
    this.byAbs.set(abs, file);
    const problems = parseSource(file);
    for (const problem of problems) this.problems.push({ file, problem });
    this.cache?.set(abs, { file, problems, stamp });
    return file;
  }

  private reuse(abs: string, cached: CachedFile): SourceFile {
    this.byAbs.set(abs, cached.file);
    for (const problem of cached.problems) this.problems.push({ file: cached.file, problem });
    return cached.file;
  }

  /** Reads and parses a file; undefined when it cannot be read. */
  load(abs: string): SourceFile | undefined {
    const r = this.read(abs);
    return r instanceof TreeAccessError ? undefined : r;
  }

  /**
   * Records a file of a listing that cannot be read (a link out of the tree, a FIFO): one problem
   * at its first line. Its content is never read, so no code frame can show it.
   */
  refuse(abs: string, message: string): void {
    const file: SourceFile = { abs, rel: this.relOf(abs), text: '', data: undefined, parsed: false, lineStarts: [0] };
    this.problems.push({ file, problem: { kind: 'unreadable', offset: 0, message } });
  }

  /** Resolves one `$ref` string written in `from`, without following further references. */
  resolveOnce(from: SourceFile, ref: string): Resolution {
    let memo = this.onceMemo.get(from);
    if (!memo) {
      memo = new Map();
      this.onceMemo.set(from, memo);
    }
    const known = memo.get(ref);
    if (known) return known;
    const key = `${from.abs}\u0000${ref}`;
    if (this.resolving.has(key))
      return { error: `${quoted(ref)} runs through itself: its pointer passes through this very reference.` };
    this.resolving.add(key);
    try {
      const result = this.resolveOnceUncached(from, ref);
      memo.set(ref, result);
      return result;
    } finally {
      this.resolving.delete(key);
    }
  }

  private targetFile(from: SourceFile, ref: string, filePart: string): SourceFile | { error: string } {
    let decoded = filePart;
    try {
      decoded = decodeURIComponent(filePart);
    } catch {
      /* keep the raw text */
    }
    if (decoded.includes('\u0000')) return { error: `${quoted(ref)} names a file with a NUL character.` };
    const abs = resolve(dirname(from.abs), decoded);
    if (!isWithin(this.root, abs)) {
      return { error: `${quoted(ref)} points outside the spec tree; mxspec reads nothing outside --root.` };
    }
    const file = this.read(abs);
    if (!(file instanceof TreeAccessError)) return file;
    if (file.reason === 'missing')
      return { error: `${quoted(ref)} points at ${this.relOf(abs)}, which does not exist.` };
    return { error: `${quoted(ref)} cannot be followed: ${file.message}` };
  }

  private resolveOnceUncached(from: SourceFile, ref: string): Resolution {
    if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
      return {
        error: `${quoted(ref)} is a remote reference; mxspec reads no network, so only relative file references `
          + 'resolve.',
      };
    }
    const hash = ref.indexOf('#');
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    let target = from;
    if (filePart !== '') {
      const file = this.targetFile(from, ref, filePart);
      if ('error' in file) return { error: file.error };
      target = file;
    }
    if (!target.parsed) return { error: `${quoted(ref)} points into ${target.rel}, which could not be parsed.` };
    const segments = parsePointer(fragment);
    if (!segments)
      return { error: `${quoted(ref)} has a fragment that is not a JSON pointer (it must start with "/").` };
    let node: unknown = target.data;
    let file = target;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      // Walking through a reference on the way to the pointed-at node follows it, as
      // OpenAPI tools do.
      const seen = new Set<unknown>();
      while (isRef(node) && !Object.prototype.hasOwnProperty.call(node, seg)) {
        if (seen.has(node)) return { error: `${quoted(ref)} passes through a $ref cycle.` };
        seen.add(node);
        const next = this.resolveOnce(file, node.$ref);
        if (next.error !== undefined)
          return { error: `${quoted(ref)} passes through a broken reference: ${next.error}` };
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
        return { error: `${quoted(ref)} points at ${at} in ${file.rel}, which does not exist.` };
      }
    }
    return { file, node };
  }

  /**
   * Follows a chain of references until it reaches a node that is not one, reporting a chain
   * that loops (a → b → a) instead of recursing forever. Every chain is walked once: its links
   * remember where they lead, so long chains cost linear time in all.
   */
  resolve(from: SourceFile, ref: string): Resolution {
    const chain: Located<Record<string, unknown>>[] = [];
    const onChain = new Map<unknown, number>();
    let current = this.resolveOnce(from, ref);
    while (current.error === undefined && isRef(current.node)) {
      const known = this.chainMemo.get(current.node);
      if (known) {
        current = known;
        break;
      }
      const again = onChain.get(current.node);
      if (again !== undefined) {
        current = { error: 'This $ref is part of a cycle that never reaches a value.', loop: chain.slice(again) };
        break;
      }
      onChain.set(current.node, chain.length);
      chain.push({ file: current.file, node: current.node });
      current = this.resolveOnce(current.file, current.node.$ref);
    }
    for (const link of chain) this.chainMemo.set(link.node, current);
    return current;
  }

  /** The node itself when it is not a reference, else what its reference chain reaches. */
  deref<T = unknown>(loc: Located<T>): Located | undefined {
    if (!isRef(loc.node)) return loc;
    const r = this.resolve(loc.file, loc.node.$ref);
    return r.error === undefined ? r : undefined;
  }
}
