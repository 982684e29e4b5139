import { placeAtPath, pointerSegments } from '../../loader/locate.js';
import { isObject } from '../../loader/pointer.js';
import { copiesOf } from '../../loader/copies.js';
import type { Rule } from '../rule.js';
import { describeError, errorKey, mostSpecific, Validators } from '../validators.js';

export const openapiStructure: Rule = {
  id: 'openapi-structure',
  why: 'Every tool downstream (site, typings, other people\'s generators) assumes valid OpenAPI and valid JSON Schema.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    const validators = new Validators();
    const copies = copiesOf(spec);
    for (const root of spec.roots) {
      if (root.format === 'not-openapi') {
        report({
          file: root.file, node: isObject(root.file.data) ? root.file.data : undefined,
          message: `${root.file.rel} is in an API folder but is not an OpenAPI document: it has neither "openapi" nor "swagger" at the top.`,
          hint: 'Start it with "openapi: 3.1.0", or move shared schemas into definitions/.',
        });
        continue;
      }
      // References are followed first: Matrix documents $ref whole objects (even the map of
      // security schemes) where the OpenAPI schema expects the object itself.
      const resolved = copies.resolve(root.file, root.doc);
      const validate = validators.document(root.format);
      if (validate(resolved)) continue;
      for (const e of mostSpecific(validate.errors ?? [])) {
        const path = pointerSegments(e.instancePath);
        const key = errorKey(e);
        const at = copies.placeIn(resolved, key ? [...path, key] : path);
        const where = path.length ? path.join('.') : 'the document';
        report({ place: at, file: root.file, message: `${where}: ${describeError(e)} (${root.format === 'swagger-2.0' ? 'Swagger 2.0' : 'OpenAPI ' + root.format.slice(8)}).` });
      }
    }
    for (const s of spec.schemas) {
      if (!s.isRoot) continue;
      // Schemas inside a Swagger 2.0 document were checked with the document.
      if (s.dialect === 'draft-04' && spec.roots.some((r) => r.file === s.file)) continue;
      // A schema may name its own dialect; a draft-04 `$schema` in a 3.1 tree is still checkable.
      const declared = typeof s.node.$schema === 'string' ? s.node.$schema : undefined;
      const dialect = declared?.includes('draft-04') ? 'draft-04' : declared?.includes('2020-12') ? '2020-12' : s.dialect;
      const { $schema: _declared, ...body } = s.node;
      const errors = validators.metaSchema(dialect)(body);
      for (const e of mostSpecific(errors)) {
        const path = pointerSegments(e.instancePath);
        const key = errorKey(e);
        report({
          place: placeAtPath(s.node, key ? [...path, key] : path), file: s.file,
          message: `Not a valid JSON Schema (${dialect === 'draft-04' ? 'draft 4' : '2020-12'})${path.length ? ` at ${path.join('.')}` : ''}: ${describeError(e)}.`,
          hint: e.keyword === 'enum' && path[path.length - 1] === 'type' ? 'Use type: string with an enum list of the allowed values.' : undefined,
        });
      }
    }
  },
};
