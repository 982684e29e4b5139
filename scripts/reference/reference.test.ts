import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { loadSpec } from '../loader/load.js';
import { REPO, SHARED, sharedSkip } from '../testing/support.js';
import { contractDifferences, eventDifferences, fieldDifferences, operationDifferences, readOperations } from './compare.js';

const V12 = join(SHARED, 'reference', 'matrix-v1.2');
/** APIs our data is complete for; the others are checked for what they have. */
const COMPLETE = ['client-server', 'server-server', 'application-service', 'identity', 'push-gateway'];
const APIS = ['client-server', 'server-server', 'application-service', 'identity', 'push-gateway'];

test('reference: every operation of the complete APIs is present with the published method, path and operationId', { skip: sharedSkip }, () => {
  const spec = loadSpec(REPO);
  const rows = readOperations(V12);
  for (const api of APIS) {
    const differences = operationDifferences(spec, rows, api);
    const relevant = COMPLETE.includes(api) ? differences : differences.filter((d) => !d.endsWith(' is missing'));
    assert.deepEqual(relevant, [], relevant.join('\n'));
  }
});

interface Allowed { difference: string; why: string }

test('reference: every published event schema is ours too, each with at least one example', { skip: sharedSkip }, () => {
  const ours = loadSpec(REPO);
  const missing = eventDifferences(ours, loadSpec(V12)).filter((d) => d.endsWith(': missing'));
  assert.deepEqual(missing, [], missing.join('\n'));
  const withoutExample = ours.eventSchemas.filter((e) => e.examples.length === 0).map((e) => e.type);
  assert.deepEqual(withoutExample, [], 'events without an example');
});

test('reference: parameters, request body and 200 response fields, response statuses, authentication and event fields match the published spec, differences explained', { skip: sharedSkip }, () => {
  const ours = loadSpec(REPO);
  const reference = loadSpec(V12);
  const allowed = yaml.load(readFileSync(join(REPO, 'scripts', 'reference', 'allowed-differences.yaml'), 'utf8')) as Allowed[] | null ?? [];
  for (const a of allowed) assert.ok(typeof a.why === 'string' && a.why.trim().length > 10, `"${a.difference}" needs a reason`);
  const explained = new Set(allowed.map((a) => a.difference));
  // Missing events are the previous test's finding; here, the fields of those in both.
  const found = [...APIS.flatMap((api) => [...fieldDifferences(ours, reference, api), ...contractDifferences(ours, reference, api)]), ...eventDifferences(ours, reference).filter((d) => !d.endsWith(': missing'))];
  assert.deepEqual(found.filter((d) => !explained.has(d)), [], 'unexplained differences');
  assert.deepEqual([...explained].filter((d) => !found.includes(d)), [], 'allow-list entries that no longer apply');
});

test('data: every JSON request body and every 2xx JSON response has an example', () => {
  const spec = loadSpec(REPO);
  const has = (loc: { file: import('../core/source.js').SourceFile; node: unknown } | undefined): boolean => {
    const media = loc && typeof loc.node === 'object' && loc.node !== null ? spec.deref(loc) : undefined;
    const n = media?.node as Record<string, unknown> | undefined;
    return !n || 'example' in n || (typeof n.examples === 'object' && n.examples !== null);
  };
  const missing: string[] = [];
  for (const op of spec.operations) {
    const body = spec.deref({ file: op.file, node: op.node.requestBody });
    const content = (body?.node as { content?: Record<string, unknown> } | undefined)?.content;
    if (body && content?.['application/json'] !== undefined && !has({ file: body.file, node: content['application/json'] })) missing.push(`${String(op.node.operationId)} request`);
    for (const [status, raw] of Object.entries((op.node.responses ?? {}) as Record<string, unknown>)) {
      if (!status.startsWith('2')) continue;
      const res = spec.deref({ file: op.file, node: raw });
      const c = (res?.node as { content?: Record<string, unknown> } | undefined)?.content;
      if (res && c?.['application/json'] !== undefined && !has({ file: res.file, node: c['application/json'] })) missing.push(`${String(op.node.operationId)} ${status}`);
    }
  }
  assert.deepEqual(missing, []);
});
