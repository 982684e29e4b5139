import type { Place } from '../../core/diagnostic.js';
import { placeAt } from '../../core/source.js';
import { pointerSegments, valuePlaceOf } from '../../loader/locate.js';
import { bundleSchema, Copies } from '../resolved.js';
import type { Rule } from '../rule.js';
import { describeError, mostSpecific, Validators } from '../validators.js';

export const exampleValid: Rule = {
  id: 'example-valid',
  why: 'Examples are what readers copy and what the typings are tested with; one that breaks its own schema teaches the wrong thing.',
  defaultSeverity: 'error',
  run({ spec, report }) {
    const validators = new Validators(spec);
    const copies = new Copies(spec);
    for (const ex of spec.examples) {
      if (!ex.schema) continue;
      const value = copies.resolve(ex.file, ex.value);
      const { schema, key } = bundleSchema(spec, copies, ex.schema.file, ex.schema.node, ex.dialect);
      let validate;
      try {
        validate = validators.compile(ex.dialect, schema as object, key);
      } catch (err) {
        report({ node: ex.schema.node, message: `The schema for ${ex.context} cannot be used to check its example: ${(err as Error).message}` });
        continue;
      }
      if (validate(value)) continue;
      const exampleStart: Place = ex.kind === 'event' ? placeAt(ex.file, 0) : valuePlaceOf(ex.holder, ex.key) ?? placeAt(ex.file, 0);
      for (const e of mostSpecific(validate.errors ?? [])) {
        const path = pointerSegments(e.instancePath);
        const at = (path.length ? copies.placeIn(value, path) : undefined) ?? exampleStart;
        const schemaPath = pointerSegments(e.schemaPath.replace(/^#/, ''));
        const schemaAt = copies.placeIn(schema, schemaPath);
        const where = e.instancePath === '' ? '' : ` at ${e.instancePath}`;
        report({
          place: at,
          message: `Example of ${ex.context}${where}: ${describeError(e)}.`,
          related: schemaAt ? [{ ...schemaAt, label: 'schema' }] : undefined,
        });
      }
    }
  },
};
