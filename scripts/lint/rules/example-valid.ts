import type { Place } from '../../core/diagnostic.js';
import { placeAt } from '../../core/source.js';
import { valuePlaceOf } from '../../loader/locate.js';
import type { Dialect, ExampleSite, Spec } from '../../loader/model.js';
import { isObject } from '../../loader/pointer.js';
import type { Located } from '../../loader/refs.js';
import { ExampleValidator, JudgedSchemas } from '../example-validator.js';
import { copiesOf } from '../../loader/copies.js';
import { sharedBundleOf } from '../shared-bundle.js';
import type { Rule } from '../rule.js';

export const exampleValid: Rule = {
  id: 'example-valid',
  why: 'Examples are what readers copy and what the typings are tested with; '
    + 'one that breaks its own schema teaches the wrong thing.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    const copies = copiesOf(spec);
    const validator = new ExampleValidator(copies);
    const judging = schemaJudging(spec);
    for (const ex of spec.examples) {
      if (!ex.schema) continue;
      const value = wireReading(ex, copies.resolve(ex.file, ex.value));
      let errors;
      try {
        const schemas = judgedSchemas(spec, ex.dialect);
        const at = judging(ex.schema);
        errors = validator.validate(schemas, schemas.schemaOf(at.file, at.node), value);
      } catch (err) {
        const reason = (err as Error).message.split('\n')[0]!.trim();
        report({
          node: ex.schema.node,
          message: `The schema for ${ex.context} cannot be used to check its example: ${reason}`,
        });
        continue;
      }
      const start = examplePlace(ex);
      for (const e of errors) {
        const at = (e.instancePath.length ? copies.placeIn(value, e.instancePath) : undefined) ?? start;
        const where = e.instancePath.length ? ` at /${e.instancePath.join('/')}` : '';
        report({
          place: at,
          message: `Example of ${ex.context}${where}: ${e.message}.`,
          related: e.schemaPlace ? [{ ...e.schemaPlace, label: 'schema' }] : undefined,
        });
      }
    }
  },
};

/**
 * The composed schemas examples of one dialect are judged against: one document per loaded spec
 * and dialect, shared by every example and rule, each schema composed and registered once.
 */
export function judgedSchemas(spec: Spec, dialect: Dialect): JudgedSchemas {
  let byDialect = judged.get(spec);
  if (!byDialect) { byDialect = new Map(); judged.set(spec, byDialect); }
  let schemas = byDialect.get(dialect);
  if (!schemas) {
    schemas = new JudgedSchemas(sharedBundleOf(spec, dialect), dialect, copiesOf(spec).origin);
    byDialect.set(dialect, schemas);
  }
  return schemas;
}

const judged = new WeakMap<Spec, Map<Dialect, JudgedSchemas>>();

/** Where an example's value begins (an event example is a whole file). */
export function examplePlace(ex: ExampleSite): Place {
  return (ex.kind === 'event' ? undefined : valuePlaceOf(ex.holder, ex.key)) ?? placeAt(ex.file, 0);
}

/**
 * The schema an example is judged against. An example written on one branch of an `allOf`
 * (`allOf: [{$ref: base}, {example: ...}]`) shows a value of the whole composition, so it is
 * judged against the schema listing that `allOf`, climbing through nested compositions.
 */
export function schemaJudging(spec: Spec): (schema: Located) => Located {
  const composerOf = new Map<object, Located>();
  for (const s of spec.schemas) {
    if (!Array.isArray(s.node.allOf)) continue;
    for (const branch of s.node.allOf) if (isObject(branch)) composerOf.set(branch, { file: s.file, node: s.node });
  }
  return (schema) => {
    let loc = schema;
    const seen = new Set<unknown>();
    while (isObject(loc.node) && !seen.has(loc.node)) {
      seen.add(loc.node);
      const up = composerOf.get(loc.node);
      if (!up) break;
      loc = up;
    }
    return loc;
  };
}

/**
 * A Swagger 2.0 `x-example` of a query, path, header or form parameter is the text put into the
 * request: "3" is how an integer example is written there, and 1234 reads as the string "1234".
 * The value is judged as the server would read it from that text.
 */
function wireReading(ex: ExampleSite, value: unknown): unknown {
  if (ex.kind !== 'parameter' || ex.key !== 'x-example' || !ex.schema || !isObject(ex.schema.node)) return value;
  const type = ex.schema.node.type;
  if (typeof value === 'string') {
    if ((type === 'integer' || type === 'number') && NUMBER.test(value)) return Number(value);
    if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    return value;
  }
  if ((typeof value === 'number' || typeof value === 'boolean') && type === 'string') return String(value);
  return value;
}

const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
