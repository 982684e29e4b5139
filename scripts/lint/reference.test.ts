import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, SHARED, sharedSkip, V19 } from '../testing/support.js';

test('lint on the published v1.9 tree (OpenAPI 3.1, 188 API files) completes and reports, without crashing', { skip: sharedSkip }, () => {
  const r = cli(['lint', '--root', V19, '--format', 'json']);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 1, 'the published tree has real defects');
  const found = JSON.parse(r.stdout) as { rule: string; file: string; line: number }[];
  const rules = new Set(found.map((d) => d.rule));
  assert.ok(!rules.has('operation-docs'), 'house style is not checked on a tree without a configuration');
  assert.ok(!rules.has('yaml-syntax') && !rules.has('ref-resolves'), 'the tree parses and its $refs resolve');
  assert.ok(found.every((d) => d.line >= 1 && !d.file.startsWith('/')));
  const strict = cli(['lint', '--root', V19, '--format', 'json', '--rule', 'operation-docs']);
  assert.equal(strict.status, 1, 'asked for by name, operation-docs finds the summaries v1.9 lacks');
  assert.ok((JSON.parse(strict.stdout) as unknown[]).length > 0);
});

test('lint on the published v1.2 tree (Swagger 2.0) completes, checking it against the 2.0 schema', { skip: sharedSkip }, () => {
  const r = cli(['lint', '--root', join(SHARED, 'reference', 'matrix-v1.2'), '--format', 'json']);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 1);
  const found = JSON.parse(r.stdout) as { rule: string; message: string }[];
  assert.ok(found.some((d) => d.rule === 'openapi-structure' && d.message.includes('Swagger 2.0')));
  assert.ok(!found.some((d) => d.rule === 'ref-resolves'));
});
