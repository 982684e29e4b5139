import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { loadSpec } from '../loader/load.js';
import { endpointAnchor } from '../site/html.js';
import { cli, REPO, SHARED, sharedSkip } from '../testing/support.js';
import { normaliseHeading, outlineHeadings, pageHeadings } from './outline.js';

function builtClientServerPage(): string {
  const out = mkdtempSync(join(tmpdir(), 'mxspec-outline-'));
  try {
    const r = cli(['site', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(join(out, 'client-server-api', 'index.html'), 'utf8');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test('client-server page: every heading of the v1.2 outline has a section with prose, or a reason for leaving it out', { skip: sharedSkip }, () => {
  const html = builtClientServerPage();
  const ours = pageHeadings(html);
  const omitted = (yaml.load(readFileSync(join(REPO, 'scripts', 'reference', 'outline-omissions.yaml'), 'utf8')) as { heading: string; why: string }[] | null) ?? [];
  for (const o of omitted) assert.ok(typeof o.why === 'string' && o.why.length > 10, `"${o.heading}" needs a reason`);
  const allowed = new Set(omitted.map((o) => normaliseHeading(o.heading)));
  const missing = outlineHeadings(join(SHARED, 'reference', 'outline-v1.2.md'), 'client-server-api/')
    .filter((h) => !allowed.has(normaliseHeading(h.text)))
    .filter((h) => !ours.some((o) => o.text === normaliseHeading(h.text) && o.prose))
    .map((h) => `${h.page}: ${'#'.repeat(h.level)} ${h.text}`);
  assert.deepEqual([...new Set(missing)], [], 'outline headings without a section and prose');
});

test('client-server page: every client-server operation of data/ is placed on it exactly once', () => {
  const html = builtClientServerPage();
  const spec = loadSpec(REPO);
  const wrong = spec.operations.filter((o) => o.api === 'client-server').flatMap((o) => {
    const anchor = endpointAnchor(o.method, o.fullPath);
    const count = [...html.matchAll(/<section class="endpoint(?: deprecated)?" id="([^"]+)"/g)].filter((m) => m[1] === anchor || m[1]!.startsWith(`${anchor}_`)).length;
    return count === (o.node['x-alternative-of'] || spec.operations.some((p) => p.node['x-alternative-of'] === o.node.operationId) ? 2 : 1) ? [] : [`${String(o.node.operationId)}: ${count}`];
  });
  assert.deepEqual(wrong, []);
  assert.doesNotMatch(html, /id="other-endpoints"/, 'no endpoint is left for "Other endpoints"');
});
