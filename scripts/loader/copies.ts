import type { Place } from '../core/diagnostic.js';
import type { SourceFile } from '../core/source.js';
import type { Spec } from './model.js';
import type { Resolution } from './refs.js';
import { placeOf } from './locate.js';
import { isObject, isRef } from './pointer.js';
import { setOwn } from '../core/tree.js';

/**
 * Copies of parsed values with their `$ref`s replaced, each copy remembering the source node it
 * came from so a validator's path into the copy can be turned back into `file:line:col`.
 */
export class Copies {
  /** copy → source node (a `$ref` holder for merged objects). */
  readonly origin = new WeakMap<object, object>();
  private readonly memo = new Map<unknown, unknown>();

  constructor(private readonly spec: Spec) {}

  /**
   * The value with every reference resolved: `{$ref, ...siblings}` becomes the target with the
   * siblings laid over it (the Matrix convention for examples). A reference back into a value
   * being copied is left in place, so recursive schemas stay finite. The walk keeps its own stack
   * rather than recursing, so a chain of references through thousands of files cannot overflow.
   */
  resolve(file: SourceFile, node: unknown): unknown {
    const onStack = new Set<unknown>();
    const frames: CopyFrame[] = [];
    let result: unknown;
    const enter = (f: SourceFile, n: unknown): void => {
      const memo = n !== null && typeof n === 'object' ? this.memo.get(n) : undefined;
      if (n === null || typeof n !== 'object' || memo !== undefined || onStack.has(n)) {
        result = memo ?? n;
        return;
      }
      if (isRef(n)) {
        const target = this.spec.resolveRefOnce(f, n.$ref);
        if (target.error !== undefined || onStack.has(target.node)) {
          result = n;
          return;
        }
        onStack.add(n);
        frames.push(new RefFrame(f, n, target.file, target.node));
        return;
      }
      onStack.add(n);
      frames.push(new ContainerFrame(f, n));
    };
    enter(file, node);
    while (frames.length > 0) {
      const top = frames[frames.length - 1]!;
      if (top.awaiting) {
        top.accept(result);
        top.awaiting = false;
      }
      const next = top.next();
      if (next) {
        top.awaiting = true;
        enter(next.file, next.node);
        continue;
      }
      frames.pop();
      onStack.delete(top.node);
      result = top.finish();
      // A merged reference or a copied container is new, and remembers its source; a plain
      // reference's result is its target's copy, which already does.
      if (top.madeNew) this.origin.set(result as object, top.node);
      if (top instanceof ContainerFrame) this.memo.set(top.node, result);
    }
    return result;
  }

  /** The source place of a path into a copy: the deepest part that has an origin. */
  placeIn(copy: unknown, path: readonly string[]): Place | undefined {
    let node: unknown = copy;
    let best: Place | undefined =
      isObject(node) || Array.isArray(node) ? placeOf(this.origin.get(node as object) ?? node) : undefined;
    for (const seg of path) {
      if (node === null || typeof node !== 'object') break;
      const src = this.origin.get(node) ?? node;
      const here = placeOf(src, Object.prototype.hasOwnProperty.call(src, seg) ? seg : undefined);
      if (here) best = here;
      node = (node as Record<string, unknown>)[seg];
    }
    return best;
  }
}

/** One step of `Copies.resolve`: a value being copied, asking for its parts one at a time. */
abstract class CopyFrame {
  awaiting = false;
  constructor(
    readonly file: SourceFile,
    readonly node: object,
  ) {}
  /** The next part to copy, or undefined when every part is in. */
  abstract next(): { file: SourceFile; node: unknown } | undefined;
  /** Takes the copy of the part `next` asked for. */
  abstract accept(copy: unknown): void;
  abstract finish(): unknown;
  /** Whether `finish` returns a value this frame created. */
  abstract readonly madeNew: boolean;
}

/** An object or array: copied part by part. */
class ContainerFrame extends CopyFrame {
  private readonly entries: [string, unknown][];
  private readonly out: Record<string, unknown> | unknown[];
  private index = 0;
  constructor(file: SourceFile, node: object) {
    super(file, node);
    this.entries = Array.isArray(node) ? node.map((v, i) => [String(i), v]) : Object.entries(node);
    this.out = Array.isArray(node) ? [] : {};
  }
  next() {
    while (this.index < this.entries.length) {
      const [key, value] = this.entries[this.index]!;
      if (value !== null && typeof value === 'object') return { file: this.file, node: value };
      this.put(key, value);
      this.index++;
    }
    return undefined;
  }
  accept(copy: unknown) {
    this.put(this.entries[this.index]![0], copy);
    this.index++;
  }
  private put(key: string, value: unknown) {
    if (Array.isArray(this.out)) this.out.push(value);
    else setOwn(this.out, key, value);
  }
  finish() {
    return this.out;
  }
  get madeNew() {
    return true;
  }
}

/** A `$ref`: its target copied, then its sibling keys copied and laid over it. */
class RefFrame extends CopyFrame {
  private stage: 'target' | 'siblings' = 'target';
  private base: unknown;
  private merged: Record<string, unknown> | undefined;
  private readonly siblings: [string, unknown][];
  private index = 0;
  constructor(
    file: SourceFile,
    node: Record<string, unknown>,
    private readonly targetFile: SourceFile,
    private readonly target: unknown,
  ) {
    super(file, node);
    this.siblings = Object.entries(node).filter(([k]) => k !== '$ref');
  }
  next() {
    if (this.stage === 'target') return { file: this.targetFile, node: this.target };
    while (this.merged && this.index < this.siblings.length) {
      const [key, value] = this.siblings[this.index]!;
      if (value !== null && typeof value === 'object') return { file: this.file, node: value };
      setOwn(this.merged, key, value);
      this.index++;
    }
    return undefined;
  }
  accept(copy: unknown) {
    if (this.stage === 'target') {
      this.base = copy;
      this.stage = 'siblings';
      if (this.siblings.length > 0 && isObject(copy)) this.merged = { ...copy };
      return;
    }
    setOwn(this.merged!, this.siblings[this.index]![0], copy);
    this.index++;
  }
  finish() {
    return this.merged ?? this.base;
  }
  get madeNew() {
    return this.merged !== undefined;
  }
}

/**
 * Where a reference leads, skipping references that are nothing but a `$ref`: a chain of thousands
 * of them becomes one hop for the validators and openapi-typescript, which follow references by
 * recursion. A reference with siblings is kept, since its siblings apply too.
 */
export function followPureRefs(spec: Spec, file: SourceFile, ref: string): Resolution {
  const seen = new Set<unknown>();
  let r = spec.resolveRefOnce(file, ref);
  while (r.error === undefined && isRef(r.node) && Object.keys(r.node).length === 1 && !seen.has(r.node)) {
    seen.add(r.node);
    r = spec.resolveRefOnce(r.file, r.node.$ref);
  }
  return r;
}

const shared = new WeakMap<Spec, Copies>();

/** One set of resolved copies per loaded spec: every command and rule resolves a value once. */
export function copiesOf(spec: Spec): Copies {
  let copies = shared.get(spec);
  if (!copies) {
    copies = new Copies(spec);
    shared.set(spec, copies);
  }
  return copies;
}
