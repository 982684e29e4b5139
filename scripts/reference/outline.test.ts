import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { loadSpec } from '../loader/load.js';
import { endpointAnchor } from '../site/ids.js';
import { apiPageUrl } from '../site/pages.js';
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

test('API pages: each places every operation of its API exactly once, leaving none to "Other endpoints"', () => {
  const out = mkdtempSync(join(tmpdir(), 'mxspec-pages-'));
  try {
    const r = cli(['site', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    const spec = loadSpec(REPO);
    for (const api of spec.apis) {
      const html = readFileSync(join(out, apiPageUrl(api.name).slice(1), 'index.html'), 'utf8');
      const ids = [...html.matchAll(/<section class="endpoint(?: deprecated)?" id="([^"]+)"/g)].map((m) => m[1]!);
      const ops = spec.operations.filter((o) => o.api === api.name);
      assert.equal(ids.length, ops.length, `${api.name}: one block per operation`);
      for (const o of ops) {
        const anchor = endpointAnchor(o.method, o.fullPath);
        assert.ok(ids.some((id) => id === anchor || id.startsWith(`${anchor}_`)), `${api.name}: ${String(o.node.operationId)}`);
      }
      assert.doesNotMatch(html, /id="other-endpoints"/, `${api.name}: no endpoint is left for "Other endpoints"`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
