import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from './errors.js';
import { checkOutputDir } from './output.js';

function folder(files: string[]): { dir: string; root: string; cleanup(): void } {
  const work = mkdtempSync(join(tmpdir(), 'mxspec-output-'));
  const dir = join(work, 'out');
  for (const f of files) {
    const abs = join(dir, f);
    mkdirSync(f.endsWith('/') ? abs : join(abs, '..'), { recursive: true });
    if (!f.endsWith('/')) writeFileSync(abs, 'x');
  }
  const root = join(work, 'tree');
  mkdirSync(root);
  return { dir, root, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

test('output: a site or typings package from before the mark is recognised, by its own shape only', () => {
  const site = folder(['index.html', 'assets/site.css', 'search-index.json']);
  const types = folder(['package.json', 'identifiers.d.ts', 'index.d.ts']);
  const other = folder(['index.html', 'notes.txt']);
  try {
    checkOutputDir(site.dir, site.root, 'site');
    checkOutputDir(types.dir, types.root, 'types');
    assert.throws(
      () => checkOutputDir(site.dir, site.root, 'types'),
      (e) => e instanceof UsageError && /output of mxspec site/.test(e.message),
    );
    assert.throws(
      () => checkOutputDir(other.dir, other.root, 'site'),
      (e) => e instanceof UsageError && /did not write/.test(e.message),
    );
  } finally {
    site.cleanup();
    types.cleanup();
    other.cleanup();
  }
});
