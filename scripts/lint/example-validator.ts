import { dereference, validate, type OutputUnit, type Schema, type ValidationResult } from '@cfworker/json-schema';
import type { Place } from '../core/diagnostic.js';
import { compilePattern } from '../core/pattern.js';
import type { SourceFile } from '../core/source.js';
import { own, setOwn } from '../core/tree.js';
import { placeOf } from '../loader/locate.js';
import type { Dialect } from '../loader/model.js';
import { isObject } from '../loader/pointer.js';
import type { Copies } from '../loader/copies.js';
import type { SharedBundle } from './shared-bundle.js';
import { Composer } from './rules/shared/composed-schema.js';

export interface ExampleError {
  /** Path into the example value. */
  instancePath: string[];
  /** Where in the source the failing keyword is written. */
  schemaPlace?: Place;
  message: string;
}

const segments = (location: string) => (location === '#' ? [] : location.slice(2).split('/').map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~')));

/** Where the shared document sits for the validator: only its fragments ever matter. */
const BASE_URI = new URL('https://mxspec.invalid/examples.json');

/**
 * The schemas examples are judged against, `allOf` composed (see `Composer`), in one document
 * per shared bundle: `composedRoot` holds a composed definition for each definition of the bundle,
 * its `$ref`s pointing at composed definitions. Each definition is composed and registered with
 * the validator once, when an example first reaches it, so no example pays for another's schemas.
 */
export class JudgedSchemas {
  readonly composedRoot: Record<string, unknown>;
  /** Every composed definition and subschema by absolute URI, as @cfworker/json-schema looks them up. */
  readonly lookup: Record<string, Schema | boolean> = Object.create(null);
  readonly draft: '4' | '2020-12';
  private readonly composedDefs: Record<string, unknown> = {};
  private readonly composer: Composer;
  /** Why a definition could not be composed or registered. */
  private readonly broken = new Map<string, string>();

  constructor(private readonly bundle: SharedBundle, dialect: Dialect, origin: WeakMap<object, object>) {
    this.composedRoot = { [bundle.defsKey]: this.composedDefs };
    this.composer = new Composer(bundle.root, dialect, origin);
    this.draft = dialect === 'draft-04' ? '4' : '2020-12';
  }

  /**
   * The composed schema of a schema node. Throws when it, or a schema it reaches that was first
   * reached now, cannot be used.
   */
  schemaOf(file: SourceFile, node: unknown): unknown {
    const name = this.bundle.nameOf(file, node);
    // Every definition written now is reachable from this one, and its whole closure is written.
    const failures = this.bundle.takeNew().map((n) => this.register(n)).filter((f) => f !== undefined);
    const failed = this.broken.get(name) ?? failures[0];
    if (failed === undefined) return own(this.composedDefs, name);
    // Its closure holds a schema that cannot be used: so, whichever rule asks first, can it not.
    this.broken.set(name, failed);
    throw new Error(failed);
  }

  /** The composed definition a `$ref` of the composed document points at. */
  definition(ref: string): unknown {
    let node: unknown = this.composedRoot;
    for (const s of segments(ref)) {
      node = isObject(node) || Array.isArray(node) ? own(node as Record<string, unknown>, s) : undefined;
    }
    return node;
  }

  /** Why validation met a definition that could not be registered, if that is what it met. */
  brokenReason(err: unknown): string | undefined {
    const message = err instanceof Error ? err.message : '';
    const prefix = `Unresolved $ref "#/${this.bundle.defsKey}/`;
    if (!message.startsWith(prefix)) return undefined;
    return this.broken.get(message.slice(prefix.length, message.indexOf('"', prefix.length)));
  }

  private register(name: string): string | undefined {
    try {
      const composed = this.composer.compose(this.bundle.definition(name), 0, true);
      setOwn(this.composedDefs, name, composed);
      dereference(composed as Schema, this.lookup, BASE_URI, `/${this.bundle.defsKey}/${name}`);
      return undefined;
    } catch (err) {
      const reason = (err as Error).message.split('\n')[0]!.trim();
      this.broken.set(name, reason);
      // A reference to it is then unresolved, which `brokenReason` explains.
      delete this.lookup[`${BASE_URI.href}#/${this.bundle.defsKey}/${name}`];
      return reason;
    }
  }
}

/**
 * Validates examples with @cfworker/json-schema, an interpreting validator: each example is
 * checked once, so compiling validator code (as Ajv does) costs more than it saves. The schemas
 * come registered from `JudgedSchemas`; nothing is dereferenced per example.
 */
export class ExampleValidator {
  /** Patterns that could not be run (lookaround, backreferences): they constrain nothing here. */
  readonly skippedPatterns = new Map<string, string>();

  constructor(private readonly copies: Copies) {}

  validate(schemas: JudgedSchemas, schema: unknown, value: unknown): ExampleError[] {
    const result = this.run(schemas, schema, value);
    if (result.valid) return [];
    return mostSpecific(result.errors).map((e) => {
      const { node, last } = this.walk(schemas, schema, segments(e.keywordLocation));
      const source = node === undefined ? undefined : this.copies.origin.get(node as object);
      return {
        instancePath: segments(e.instanceLocation),
        schemaPlace: source ? placeOf(source, last !== undefined && last in source ? last : undefined) : undefined,
        message: explain(e, node, instanceAt(value, segments(e.instanceLocation))),
      };
    });
  }

  /** Whether a value is valid against one subschema of a composed definition. */
  matches(schemas: JudgedSchemas, schema: unknown, value: unknown): boolean {
    return this.run(schemas, schema, value).valid;
  }

  private run(schemas: JudgedSchemas, schema: unknown, value: unknown): ValidationResult {
    try {
      return withLinearPatterns(this.skippedPatterns,
        () => validate(value, schema as Schema, schemas.draft, schemas.lookup, false));
    } catch (err) {
      const reason = schemas.brokenReason(err);
      throw reason === undefined ? err : new Error(reason);
    }
  }

  /**
   * Follows a keyword location (`#/properties/a/$ref/type`) through a composed schema to the
   * schema object holding the failing keyword; `$ref` segments jump to the composed definition.
   */
  private walk(schemas: JudgedSchemas, root: unknown, path: string[]): { node: unknown; last?: string } {
    let node: unknown = root;
    for (const seg of path.slice(0, -1)) {
      if (seg === '$ref' && isObject(node) && typeof node.$ref === 'string') {
        node = schemas.definition(node.$ref);
      } else if (isObject(node) || Array.isArray(node)) {
        node = (node as Record<string, unknown>)[seg];
      } else break;
    }
    return { node, last: path[path.length - 1] };
  }
}

/**
 * @cfworker/json-schema builds `new RegExp(pattern, 'u')` for `pattern` and `patternProperties`
 * and offers no hook to change the engine. For the span of one synchronous validation, the global
 * constructor it calls is one that compiles on RE2 instead, so a pattern from the tree runs in
 * linear time. Nothing else runs during that span, and the original is always put back.
 */
function withLinearPatterns<T>(skipped: Map<string, string>, run: () => T): T {
  const original = globalThis.RegExp;
  const linear = function LinearRegExp(source: string | RegExp) {
    const text = typeof source === 'string' ? source : source.source;
    const compiled = compilePattern(text);
    if (compiled.pattern) return compiled.pattern;
    skipped.set(text, compiled.error);
    return { source: text, test: () => true };
  };
  globalThis.RegExp = linear as unknown as RegExpConstructor;
  try {
    return run();
  } finally {
    globalThis.RegExp = original;
  }
}

function instanceAt(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, s) => (isObject(v) || Array.isArray(v) ? (v as Record<string, unknown>)[s] : undefined), value);
}

const SUMMARY = /^(A subschema had errors|Property ".*" does not match (additional |unevaluated )?(properties )?schema|Items did not match|Property ".*" matches pattern|Instance does not match (every|"then"|"else")|Property name ".*" does not match schema)/;

/**
 * Keeps the errors that explain a failure: an error whose keyword holds another failing
 * keyword only summarises it; where alternatives all failed, the branch closest to matching
 * (fewest errors) explains it best.
 */
function mostSpecific(reported: readonly OutputUnit[]): OutputUnit[] {
  const errors = reported.map(atFalseKeyword);
  let kept = errors.filter((e) => !errors.some((o) => o !== e && o.keywordLocation.startsWith(e.keywordLocation + '/')) || !SUMMARY.test(e.error));
  // A summary is dropped when a concrete error explains it, at its keyword or below it.
  kept = kept.filter((e) => !SUMMARY.test(e.error) || !kept.some((o) => o !== e
    && (o.keywordLocation.startsWith(e.keywordLocation + '/') || (o.keywordLocation === e.keywordLocation && !SUMMARY.test(o.error)))));
  const branch = /^(.*\/(?:anyOf|oneOf))\/(\d+)(\/|$)/;
  const counts = new Map<string, Map<string, number>>();
  for (const e of kept) {
    const m = branch.exec(e.keywordLocation);
    if (!m) continue;
    const perBranch = counts.get(m[1]!) ?? new Map<string, number>();
    perBranch.set(m[2]!, (perBranch.get(m[2]!) ?? 0) + 1);
    counts.set(m[1]!, perBranch);
  }
  const best = new Map([...counts].map(([alt, per]) => [alt, [...per].sort((a, b) => a[1] - b[1])[0]![0]]));
  kept = kept.filter((e) => {
    const m = branch.exec(e.keywordLocation);
    return !m || best.get(m[1]!) === m[2];
  });
  // Once a branch explains it, the "matches none of the alternatives" summary adds nothing.
  return kept.filter((e) => !(/does not match (any|exactly one) subschema/.test(e.error) && kept.some((o) => o !== e && o.keywordLocation.startsWith(e.keywordLocation + '/'))));
}

/**
 * A `false` schema's error carries the instance's location where the keyword's belongs; the
 * summary reported just before it names the keyword that holds the `false`, and is explained by it.
 */
function atFalseKeyword(e: OutputUnit, i: number, all: readonly OutputUnit[]): OutputUnit {
  const before = all[i - 1];
  if (e.keyword !== 'false' || !before || !SUMMARY.test(before.error)) return e;
  return { ...e, keywordLocation: before.keywordLocation };
}

function show(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Rewrites the validator's message in the linter's voice, naming formats and the bad value. */
function explain(e: OutputUnit, schema: unknown, actual: unknown): string {
  const s = isObject(schema) ? schema : {};
  switch (e.keyword) {
    case 'required': return e.error.replace(/^Instance does not have required property/, 'missing required property').replace(/\.$/, '');
    case 'type': {
      const m = /^Instance type "(\w+)" is invalid\. Expected "([^]*)"\.$/.exec(e.error);
      return m ? `${show(actual)} is of type ${m[1]}, but the schema wants ${m[2]!.replace(/", "/g, ' or ')}` : e.error;
    }
    case 'enum': return `${show(actual)} is not one of the allowed values ${show(s.enum)}`;
    case 'const': return `${show(actual)} must be ${show(s.const)}`;
    case 'pattern': {
      const format = typeof s['x-mxspec-format'] === 'string' ? s['x-mxspec-format'] : undefined;
      return format ? `${show(actual)} is not a valid ${format}` : `${show(actual)} does not match the pattern ${String(s.pattern)}`;
    }
    case 'format': return `${show(actual)} is not a valid ${String(s.format)}`;
    case 'false': return 'this property is not allowed by the schema';
    default: return e.error.replace(/^Instance /, 'the value ').replace(/\.$/, '');
  }
}
