/** JSON Schema keywords whose value is one schema. */
export const SCHEMA_VALUED = [
  'items', 'additionalItems', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains',
  'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema',
] as const;
/** Keywords whose value is an array of schemas (`items` too, in older drafts). */
export const SCHEMA_ARRAYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'] as const;
/** Keywords whose value maps names to schemas. */
export const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'] as const;

/** Keywords that describe or annotate but never constrain a value. */
export const ANNOTATION_KEYWORDS = new Set([
  'title', 'description', 'example', 'examples', '$comment', 'deprecated', 'readOnly', 'writeOnly',
  'externalDocs', 'xml', 'discriminator', 'default',
]);

/** Every direct subschema of a schema object, with the path segments leading to it. */
export function* subschemas(schema: Record<string, unknown>): Generator<[unknown, (string | number)[]]> {
  for (const kw of SCHEMA_VALUED) {
    const v = schema[kw];
    if (v !== undefined && (typeof v === 'object' || typeof v === 'boolean') && !Array.isArray(v)) yield [v, [kw]];
  }
  for (const kw of SCHEMA_ARRAYS) {
    const v = schema[kw];
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield [v[i], [kw, i]];
  }
  for (const kw of SCHEMA_MAPS) {
    const v = schema[kw];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [name, sub] of Object.entries(v)) yield [sub, [kw, name]];
    }
  }
}
