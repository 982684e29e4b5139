import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import type { Place } from '../core/diagnostic.js';
import { placeOf } from '../loader/locate.js';
import type { Dialect } from '../loader/model.js';
import { isObject } from '../loader/pointer.js';
import type { Copies } from './resolved.js';

export interface ExampleError {
  /** Path into the example value. */
  instancePath: string[];
  /** Where in the source the failing keyword is written. */
  schemaPlace?: Place;
  message: string;
}

const segments = (location: string) => (location === '#' ? [] : location.slice(2).split('/').map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~')));

/**
 * Validates examples with @cfworker/json-schema, an interpreting validator: each example is
 * checked once, so compiling validator code (as Ajv does) costs more than it saves. Measured on
 * the v1.9 tree, 1,193 examples against 260 distinct schemas: 56 ms here against 400 ms for Ajv.
 */
export class ExampleValidator {
  private readonly validators = new Map<string, Validator>();

  constructor(private readonly copies: Copies) {}

  validate(dialect: Dialect, schema: unknown, key: string, value: unknown): ExampleError[] {
    const cacheKey = `${dialect}\u0000${key}`;
    let validator = this.validators.get(cacheKey);
    if (!validator) {
      validator = new Validator(schema as Schema, dialect === 'draft-04' ? '4' : '2020-12', false);
      this.validators.set(cacheKey, validator);
    }
    const result = validator.validate(value);
    if (result.valid) return [];
    return mostSpecific(result.errors).map((e) => {
      const { node, last } = this.walk(schema, segments(e.keywordLocation));
      const source = node === undefined ? undefined : this.copies.origin.get(node as object);
      return {
        instancePath: segments(e.instanceLocation),
        schemaPlace: source ? placeOf(source, last !== undefined && last in source ? last : undefined) : undefined,
        message: explain(e, node, instanceAt(value, segments(e.instanceLocation))),
      };
    });
  }

  /**
   * Follows a keyword location (`#/properties/a/$ref/type`) through the bundled schema to the
   * schema object holding the failing keyword; `$ref` segments jump to the referenced definition.
   */
  private walk(root: unknown, path: string[]): { node: unknown; last?: string } {
    let node: unknown = root;
    for (const seg of path.slice(0, -1)) {
      if (seg === '$ref' && isObject(node) && typeof node.$ref === 'string') {
        node = segments(node.$ref).reduce<unknown>((n, s) => (isObject(n) || Array.isArray(n) ? (n as Record<string, unknown>)[s] : undefined), root);
      } else if (isObject(node) || Array.isArray(node)) {
        node = (node as Record<string, unknown>)[seg];
      } else break;
    }
    return { node, last: path[path.length - 1] };
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
function mostSpecific(errors: readonly OutputUnit[]): OutputUnit[] {
  let kept = errors.filter((e) => !errors.some((o) => o !== e && o.keywordLocation.startsWith(e.keywordLocation + '/')) || !SUMMARY.test(e.error));
  kept = kept.filter((e) => !SUMMARY.test(e.error) || !kept.some((o) => o !== e && o.keywordLocation.startsWith(e.keywordLocation + '/')));
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
      const m = /Instance type "(\w+)" is invalid\. Expected "(.*)"\./.exec(e.error);
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
