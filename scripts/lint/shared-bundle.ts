import type { SourceFile } from '../core/source.js';
import { own, setOwn } from '../core/tree.js';
import { copiesOf, followPureRefs, type Copies } from '../loader/copies.js';
import type { Dialect, Spec } from '../loader/model.js';
import { isObject } from '../loader/pointer.js';
import { ANNOTATION_KEYWORDS, SCHEMA_ARRAYS, SCHEMA_MAPS, SCHEMA_VALUED } from '../loader/schema-keywords.js';

/** A schema object being rewritten, and the fresh object its rewrite goes into. */
interface RewriteStep { file: SourceFile; node: Record<string, unknown>; out: Record<string, unknown> }

/**
 * Every schema the examples of one dialect are judged against, rewritten once into one shared
 * document `{$defs: {...}}` (`definitions` for draft-04): each schema reached is a definition of
 * its own, every `$ref` points at one (`#/$defs/<name>`), and annotations are dropped. Examples
 * whose schemas reach the same files share their definitions, so the work grows with the size of
 * the tree, not with the size of each example's closure.
 */
export class SharedBundle {
  readonly defsKey: string;
  /** The shared document; its definitions are the rewritten schemas. */
  readonly root: Record<string, unknown>;
  private readonly defs: Record<string, unknown> = {};
  private readonly names = new Map<unknown, string>();
  private readonly pending: { file: SourceFile; node: unknown; name: string }[] = [];
  /** Names whose definitions were written since `takeNew` was last asked. */
  private fresh: string[] = [];

  constructor(private readonly spec: Spec, private readonly copies: Copies, dialect: Dialect) {
    this.defsKey = dialect === 'draft-04' ? 'definitions' : '$defs';
    this.root = { [this.defsKey]: this.defs };
  }

  /**
   * The definition name of a schema node, writing it and everything it reaches first. Each node
   * is written once; on return, every definition the node reaches is in the document.
   */
  nameOf(file: SourceFile, node: unknown): string {
    const name = this.register(file, node);
    while (this.pending.length > 0) {
      const next = this.pending.pop()!;
      setOwn(this.defs, next.name, this.rewrite(next.file, next.node));
      this.fresh.push(next.name);
    }
    return name;
  }

  /** The rewritten schema a name stands for. */
  definition(name: string): unknown {
    return own(this.defs, name);
  }

  /** The names written since the last call, in the order they were written. */
  takeNew(): string[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }

  private register(file: SourceFile, node: unknown): string {
    let name = this.names.get(node);
    if (!name) {
      name = `mx${this.names.size}`;
      this.names.set(node, name);
      this.pending.push({ file, node, name });
    }
    return name;
  }

  /** A copy of one schema, its own nesting walked with a stack of its own. */
  private rewrite(file: SourceFile, node: unknown): unknown {
    if (!isObject(node)) return node;
    const top = this.step(file, node);
    const stack = [top];
    while (stack.length > 0) {
      // Pushed one by one: a schema may have more properties than a call may take arguments.
      for (const s of this.rewriteOne(stack.pop()!)) stack.push(s);
    }
    return top.out;
  }

  private step(file: SourceFile, node: Record<string, unknown>): RewriteStep {
    const out: Record<string, unknown> = {};
    this.copies.origin.set(out, node);
    return { file, node, out };
  }

  /** Writes one schema object's own keywords; returns its subschemas, still to be written. */
  private rewriteOne({ file, node, out }: RewriteStep): RewriteStep[] {
    const later: RewriteStep[] = [];
    const sub = (v: unknown): unknown => {
      if (!isObject(v)) return v;
      const s = this.step(file, v);
      later.push(s);
      return s.out;
    };
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') {
        const ref = this.refTo(file, v);
        if (ref !== undefined) out.$ref = ref;
      } else if (dropped(k, v)) {
        continue;
      } else if ((SCHEMA_MAPS as readonly string[]).includes(k) && isObject(v)) {
        const m: Record<string, unknown> = {};
        for (const [name, s] of Object.entries(v)) setOwn(m, name, sub(s));
        out[k] = m;
      } else if ((SCHEMA_ARRAYS as readonly string[]).includes(k) && Array.isArray(v)) {
        out[k] = v.map(sub);
      } else if ((SCHEMA_VALUED as readonly string[]).includes(k)) {
        out[k] = sub(v);
      } else {
        setOwn(out, k, v);
      }
    }
    this.formatCheck(node, out);
    return later.reverse();
  }

  /**
   * Where a `$ref` points in the shared document. One that is not a string, or does not resolve,
   * is reported by its own rules; here it constrains nothing.
   */
  private refTo(file: SourceFile, ref: unknown): string | undefined {
    if (typeof ref !== 'string') return undefined;
    const target = followPureRefs(this.spec, file, ref);
    if (target.error !== undefined) return undefined;
    return `#/${this.defsKey}/${this.register(target.file, target.node)}`;
  }

  /** Identifier formats become patterns, so any JSON Schema validator enforces them. */
  private formatCheck(node: Record<string, unknown>, out: Record<string, unknown>): void {
    const format = typeof node.format === 'string' ? this.spec.stringFormats.get(node.format) : undefined;
    if (!format?.pattern || !format.regex) return;
    const check = { pattern: format.pattern, 'x-mxspec-format': format.name };
    if (typeof out.pattern === 'string') out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), check];
    else Object.assign(out, check);
  }
}

/** Keywords that never constrain a value, or would make a definition stand apart from the document. */
function dropped(key: string, value: unknown): boolean {
  return ANNOTATION_KEYWORDS.has(key) || key.startsWith('x-') || key === '$id'
    || (key === 'id' && typeof value === 'string')
    || key === '$schema' || key === '$anchor' || key === '$dynamicAnchor';
}

const bundles = new WeakMap<Spec, Map<Dialect, SharedBundle>>();

/** One shared bundle per loaded spec and dialect, for every rule that judges examples. */
export function sharedBundleOf(spec: Spec, dialect: Dialect): SharedBundle {
  let byDialect = bundles.get(spec);
  if (!byDialect) { byDialect = new Map(); bundles.set(spec, byDialect); }
  let bundle = byDialect.get(dialect);
  if (!bundle) { bundle = new SharedBundle(spec, copiesOf(spec), dialect); byDialect.set(dialect, bundle); }
  return bundle;
}
