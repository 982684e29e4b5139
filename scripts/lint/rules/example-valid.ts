import type { Place } from '../../core/diagnostic.js';
import { placeAt } from '../../core/source.js';
import { valuePlaceOf } from '../../loader/locate.js';
import { ExampleValidator } from '../example-validator.js';
import { bundleSchema, copiesOf } from '../resolved.js';
import type { Rule } from '../rule.js';

export const exampleValid: Rule = {
  id: 'example-valid',
  why: 'Examples are what readers copy and what the typings are tested with; one that breaks its own schema teaches the wrong thing.',
  defaultSeverity: 'error',
  run({ spec, report }) {
    const copies = copiesOf(spec);
    const validator = new ExampleValidator(copies);
    for (const ex of spec.examples) {
      if (!ex.schema) continue;
      const value = copies.resolve(ex.file, ex.value);
      const { schema, key } = bundleSchema(spec, copies, ex.schema.file, ex.schema.node, ex.dialect);
      let errors;
      try {
        errors = validator.validate(ex.dialect, schema, key, value);
      } catch (err) {
        report({ node: ex.schema.node, message: `The schema for ${ex.context} cannot be used to check its example: ${(err as Error).message.split('\n')[0]!.trim()}` });
        continue;
      }
      const exampleStart: Place = (ex.kind === 'event' ? undefined : valuePlaceOf(ex.holder, ex.key)) ?? placeAt(ex.file, 0);
      for (const e of errors) {
        const at = (e.instancePath.length ? copies.placeIn(value, e.instancePath) : undefined) ?? exampleStart;
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
