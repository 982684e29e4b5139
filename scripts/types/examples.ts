import type { Spec } from '../loader/model.js';
import { isObject } from '../loader/pointer.js';
import { copiesOf } from '../loader/copies.js';
import { eventTypeName } from './events.js';

export interface TypedExample {
  /** A TypeScript type expression, against the generated module's `paths` or `EventTypeMap`. */
  type: string;
  /** The example with every `$ref` resolved. */
  value: unknown;
  /** Where it comes from, for messages. */
  context: string;
}

/**
 * Every request and response example of every operation (JSON bodies), and every event example,
 * paired with the generated type it must satisfy.
 */
export function typedExamples(spec: Spec): Map<string, TypedExample[]> {
  const copies = copiesOf(spec);
  const byModule = new Map<string, TypedExample[]>();
  const add = (module: string, ex: TypedExample) => byModule.set(module, [...(byModule.get(module) ?? []), ex]);
  const mediaExamples = (media: unknown): unknown[] => {
    if (!isObject(media)) return [];
    const out: unknown[] = [];
    if ('example' in media) out.push(media.example);
    if (isObject(media.examples)) for (const e of Object.values(media.examples)) if (isObject(e) && 'value' in e) out.push(e.value);
    return out;
  };
  for (const op of spec.operations) {
    if (op.root.format === 'swagger-2.0') continue;
    const node = copies.resolve(op.file, op.node) as Record<string, unknown>;
    // By operationId: also reaches an operation that shares its route with another.
    const at = typeof op.node.operationId === 'string' ? `operations[${JSON.stringify(op.node.operationId)}]` : `paths[${JSON.stringify(op.fullPath)}][${JSON.stringify(op.method)}]`;
    const body = node.requestBody;
    if (isObject(body) && isObject(body.content)) {
      for (const value of mediaExamples(body.content['application/json'])) {
        add(op.api, { type: `NonNullable<${at}["requestBody"]>["content"]["application/json"]`, value, context: `${op.method.toUpperCase()} ${op.fullPath} request` });
      }
    }
    if (isObject(node.responses)) {
      for (const [status, res] of Object.entries(node.responses)) {
        if (!isObject(res) || !isObject(res.content)) continue;
        const key = /^\d+$/.test(status) ? status : JSON.stringify(status);
        for (const value of mediaExamples(res.content['application/json'])) {
          add(op.api, { type: `${at}["responses"][${key}]["content"]["application/json"]`, value, context: `${op.method.toUpperCase()} ${op.fullPath} response ${status}` });
        }
      }
    }
  }
  for (const event of spec.eventSchemas) {
    for (const ex of event.examples) {
      // Against the schema's own named type, so a variant's example is checked by that variant.
      add('events', { type: eventTypeName(event.type), value: copies.resolve(ex.file, ex.value), context: `event example ${ex.name}` });
    }
  }
  return byModule;
}

/** A TypeScript module asserting each example against its type with `satisfies`. */
export function examplesModule(byModule: Map<string, TypedExample[]>): string {
  const lines = ['// Each example of the spec must satisfy the type generated for it.'];
  for (const module of byModule.keys()) {
    const alias = module.replace(/[^A-Za-z0-9]/g, '_');
    lines.push(module === 'events'
      ? `import type * as Events from './${module}.js';`
      : `import type { paths as ${alias}, operations as ${alias}_operations } from './${module}.js';`);
  }
  let n = 0;
  for (const [module, examples] of byModule) {
    const alias = module.replace(/[^A-Za-z0-9]/g, '_');
    for (const ex of examples) {
      const type = module === 'events' ? `Events.${ex.type}` : ex.type.replace(/\bpaths\[/, `${alias}[`).replace(/\boperations\[/, `${alias}_operations[`);
      lines.push(`// ${ex.context}`, `export const example${n++} = ${JSON.stringify(ex.value, null, 2)} satisfies ${type};`);
    }
  }
  return lines.join('\n') + '\n';
}
