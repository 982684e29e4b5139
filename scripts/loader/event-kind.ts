import type { SourceFile } from '../core/source.js';
import type { Spec } from './model.js';
import { isObject } from './pointer.js';

/**
 * Whether a schema in the event folder describes an event (it has `type` or `content`, itself or
 * through allOf) rather than a fragment that events share, such as a relation object.
 */
export function isEventSchema(spec: Spec, file: SourceFile, node: unknown, seen = new Set<unknown>()): boolean {
  const loc = spec.deref({ file, node });
  if (!loc || !isObject(loc.node) || seen.has(loc.node)) return false;
  seen.add(loc.node);
  const props = loc.node.properties;
  if (isObject(props) && ('content' in props || 'type' in props)) return true;
  return Array.isArray(loc.node.allOf) && loc.node.allOf.some((b) => isEventSchema(spec, loc.file, b, seen));
}
