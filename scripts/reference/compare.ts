import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceFile } from '../core/source.js';
import type { Operation, Spec } from '../loader/model.js';
import { isObject } from '../loader/pointer.js';

export interface ReferenceRow { api: string; file: string; method: string; path: string; operationId: string; addedIn: string }

/** The published spec's operations.tsv: one row per operation. */
export function readOperations(referenceDir: string): ReferenceRow[] {
  const [, ...rows] = readFileSync(join(referenceDir, 'operations.tsv'), 'utf8').trim().split('\n');
  return rows.map((line) => {
    const [api, file, method, path, operationId, addedIn] = line.split('\t') as string[];
    return { api: api!, file: file!, method: method!, path: path!, operationId: operationId!, addedIn: addedIn ?? '' };
  });
}

/** Reference operations an API lacks, or has with another method or path, one line each. */
export function operationDifferences(spec: Spec, rows: ReferenceRow[], api: string): string[] {
  const ours = new Map(spec.operations.filter((o) => o.api === api).map((o) => [String(o.node.operationId), o]));
  const out: string[] = [];
  for (const row of rows.filter((r) => r.api === api)) {
    const op = ours.get(row.operationId);
    if (!op) out.push(`${api}: ${row.operationId} (${row.method} ${row.path}) is missing`);
    else if (op.method.toUpperCase() !== row.method || op.fullPath !== row.path) out.push(`${api}: ${row.operationId} is ${op.method.toUpperCase()} ${op.fullPath}, the reference has ${row.method} ${row.path}`);
  }
  const known = new Set(rows.filter((r) => r.api === api).map((r) => r.operationId));
  for (const id of ours.keys()) if (!known.has(id)) out.push(`${api}: ${id} is not in the reference`);
  return out;
}

/** Top-level property names of a schema, `allOf` branches and references followed. */
export function propertyNames(spec: Spec, file: SourceFile, node: unknown, seen = new Set<unknown>()): Set<string> {
  const names = new Set<string>();
  const loc = spec.deref({ file, node });
  if (!loc || !isObject(loc.node) || seen.has(loc.node)) return names;
  seen.add(loc.node);
  if (isObject(loc.node.properties)) for (const k of Object.keys(loc.node.properties)) names.add(k);
  for (const b of Array.isArray(loc.node.allOf) ? loc.node.allOf : []) for (const n of propertyNames(spec, loc.file, b, seen)) names.add(n);
  return names;
}

/** The shapes the comparison looks at, read from OpenAPI 3.x or Swagger 2.0 alike. */
export function shape(spec: Spec, op: Operation): { parameters: Set<string>; request: Set<string>; response: Set<string> } {
  const parameters = new Set(op.parameters.filter((p) => p.node.in !== 'body').map((p) => `${String(p.node.in)}:${String(p.node.name)}`));
  let request = new Set<string>();
  let response = new Set<string>();
  if (op.root.format === 'swagger-2.0') {
    const body = op.parameters.find((p) => p.node.in === 'body');
    if (body) request = propertyNames(spec, body.file, body.node.schema);
    const ok = isObject(op.node.responses) ? spec.deref({ file: op.file, node: op.node.responses['200'] }) : undefined;
    if (ok && isObject(ok.node)) response = propertyNames(spec, ok.file, ok.node.schema);
  } else {
    const body = spec.deref({ file: op.file, node: op.node.requestBody });
    const media = body && isObject(body.node) && isObject(body.node.content) ? spec.deref({ file: body.file, node: body.node.content['application/json'] }) : undefined;
    if (media && isObject(media.node)) request = propertyNames(spec, media.file, media.node.schema);
    const ok = isObject(op.node.responses) ? spec.deref({ file: op.file, node: op.node.responses['200'] }) : undefined;
    const okMedia = ok && isObject(ok.node) && isObject(ok.node.content) ? spec.deref({ file: ok.file, node: ok.node.content['application/json'] }) : undefined;
    if (okMedia && isObject(okMedia.node)) response = propertyNames(spec, okMedia.file, okMedia.node.schema);
  }
  return { parameters, request, response };
}

/** Our operations of an API beside the reference's of the same operationId. */
function* paired(ours: Spec, reference: Spec, api: string): Generator<[string, Operation, Operation]> {
  const theirs = new Map(reference.operations.filter((o) => o.api === api).map((o) => [String(o.node.operationId), o]));
  for (const op of ours.operations.filter((o) => o.api === api)) {
    const ref = theirs.get(String(op.node.operationId));
    if (ref) yield [String(op.node.operationId), op, ref];
  }
}

/**
 * Per operation present in both, the parameter names, top-level request body properties and
 * top-level 200 response properties that differ, as stable one-line strings.
 */
export function fieldDifferences(ours: Spec, reference: Spec, api: string): string[] {
  const out: string[] = [];
  for (const [id, op, ref] of paired(ours, reference, api)) {
    const a = shape(ours, op);
    const b = shape(reference, ref);
    for (const part of ['parameters', 'request', 'response'] as const) {
      for (const n of b[part]) if (!a[part].has(n)) out.push(`${api} ${id} ${part}: missing ${n}`);
      for (const n of a[part]) if (!b[part].has(n)) out.push(`${api} ${id} ${part}: extra ${n}`);
    }
  }
  return out.sort();
}

/** Property names of an event schema and of its `content`, envelopes (allOf) included. */
function eventShape(spec: Spec, file: SourceFile, node: unknown): { top: Set<string>; content: Set<string> } {
  const top = propertyNames(spec, file, node);
  const content = new Set<string>();
  const visit = (f: SourceFile, n: unknown, seen: Set<unknown>) => {
    const loc = spec.deref({ file: f, node: n });
    if (!loc || !isObject(loc.node) || seen.has(loc.node)) return;
    seen.add(loc.node);
    const props = loc.node.properties;
    if (isObject(props) && props.content !== undefined) for (const name of propertyNames(spec, loc.file, props.content)) content.add(name);
    for (const b of Array.isArray(loc.node.allOf) ? loc.node.allOf : []) visit(loc.file, b, seen);
  };
  visit(file, node, new Set());
  return { top, content };
}

/**
 * Event schemas the reference has and we lack, and, for those in both, top-level and content
 * property names that differ, as one-line strings.
 */
export function eventDifferences(ours: Spec, reference: Spec): string[] {
  const mine = new Map(ours.eventSchemas.map((e) => [e.type, e]));
  const out: string[] = [];
  for (const ref of reference.eventSchemas) {
    const own = mine.get(ref.type);
    if (!own) { out.push(`event ${ref.type}: missing`); continue; }
    const a = eventShape(ours, own.file, own.node);
    const b = eventShape(reference, ref.file, ref.node);
    for (const part of ['top', 'content'] as const) {
      for (const n of b[part]) if (!a[part].has(n)) out.push(`event ${ref.type} ${part}: missing ${n}`);
      for (const n of a[part]) if (!b[part].has(n)) out.push(`event ${ref.type} ${part}: extra ${n}`);
    }
  }
  return out.sort();
}

/** none, optional (an empty alternative) or required: what a client must send. */
function securityKind(op: Operation): string {
  const security = op.node.security ?? op.root.doc.security;
  if (!Array.isArray(security) || security.length === 0) return 'none';
  return security.some((s) => isObject(s) && Object.keys(s).length === 0) ? 'optional' : 'required';
}

/**
 * Per operation present in both: response statuses the reference lists that we lack, and
 * a different authentication requirement, as one-line strings.
 */
export function contractDifferences(ours: Spec, reference: Spec, api: string): string[] {
  const out: string[] = [];
  for (const [id, op, ref] of paired(ours, reference, api)) {
    const mine = new Set(Object.keys(isObject(op.node.responses) ? op.node.responses : {}).map((s) => s.toUpperCase()));
    for (const status of Object.keys(isObject(ref.node.responses) ? ref.node.responses : {})) {
      if (!mine.has(status.toUpperCase())) out.push(`${api} ${id} responses: missing ${status}`);
    }
    const a = securityKind(op);
    const b = securityKind(ref);
    if (a !== b) out.push(`${api} ${id} security: ${a}, the reference has ${b}`);
  }
  return out.sort();
}
