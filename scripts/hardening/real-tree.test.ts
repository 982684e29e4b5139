import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { assertNoCrash, lintJson, readAll } from '../testing/hostile.js';
import { cli, sharedSkip, V12, V19 } from '../testing/support.js';
import { loadSpec } from '../loader/load.js';

const WORK = mkdtempSync(join(tmpdir(), 'mxspec-real-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

/** The YAML and JSON files under a folder, as a user's `find` would count them. */
function specFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

for (const [name, root] of [
  ['v1.9', V19],
  ['v1.2', V12],
] as const) {
  test(
    `real tree ${name}: every file parses, licence headers and all, and lint reports only findings about content`,
    { skip: sharedSkip, timeout: 120_000 },
    () => {
      const spec = loadSpec(root);
      const onDisk = specFiles(join(root, 'data'));
      assert.equal(spec.files.filter((f) => f.rel.startsWith('data/')).length, onDisk.length);
      assert.ok(
        spec.files.every((f) => f.parsed),
        spec.files
          .filter((f) => !f.parsed)
          .map((f) => f.rel)
          .join(', '),
      );
      const headed = spec.files.filter((f) => f.text.startsWith('# Copyright'));
      assert.ok(headed.length > 100, `${headed.length} files open with a licence header`);
      const { found } = lintJson(root);
      assert.deepEqual(
        found.filter((d) => ['yaml-syntax', 'ref-resolves', 'yaml-duplicate-key'].includes(d.rule)),
        [],
      );
    },
  );
}

test(
  'real tree v1.9: types and site build from the published files as they are',
  { skip: sharedSkip, timeout: 180_000 },
  () => {
    const types = cli(['types', '--root', V19, '--out', join(WORK, 'types')]);
    assertNoCrash(types.stderr, types.stdout);
    assert.equal(types.status, 0, types.stderr);
    const modules = [...readAll(join(WORK, 'types')).keys()].filter((f) => f.endsWith('.d.ts')).sort();
    for (const m of [
      'application-service.d.ts',
      'client-server.d.ts',
      'events.d.ts',
      'identity.d.ts',
      'push-gateway.d.ts',
      'server-server.d.ts',
    ]) {
      assert.ok(modules.includes(m), `${m} in ${modules.join(' ')}`);
    }
    const site = cli(['site', '--root', V19, '--out', join(WORK, 'site')]);
    assertNoCrash(site.stderr, site.stdout);
    assert.equal(site.status, 0, site.stderr.slice(0, 3000));
    const files = readAll(join(WORK, 'site'));
    for (const page of [
      'client-server-api/index.html',
      'server-server-api/index.html',
      'events/index.html',
      'search-index.json',
    ]) {
      assert.ok(files.has(page), page);
    }
  },
);
