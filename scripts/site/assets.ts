import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import type { Diagnostic } from '../core/diagnostic.js';
import { ownOrPackage, PACKAGE_ROOT } from '../core/package.js';
import { isWithin, listTree, readTreeBytes, relToRoot, TreeAccessError } from '../core/tree.js';

const require = createRequire(import.meta.url);

function assetError(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: 'error', rule: 'site-asset', message };
}

/** Copies the regular files under `dir` (never leaving `base`) to `prefix` + their path in it. */
function copyFolder(
  base: string, dir: string, prefix: string, files: Map<string, string | Buffer>, diagnostics: Diagnostic[],
): void {
  const listed = listTree(base, dir, { enter: (name) => !name.startsWith('.') });
  for (const p of listed.problems) diagnostics.push(assetError(relToRoot(base, p.abs), p.message));
  for (const abs of listed.files) {
    const path = `${prefix}${relative(dir, abs).split(sep).join('/')}`;
    // The site's own files (pages, assets, the index) are never replaced by a static file.
    if (files.has(path)) continue;
    try {
      files.set(path, readTreeBytes(base, abs));
    } catch (err) {
      if (!(err instanceof TreeAccessError)) throw err;
      diagnostics.push(assetError(relToRoot(base, abs), err.message));
    }
  }
}

/**
 * Hugo's `static/` (upstream trees keep images such as `diagrams/membership.png` there): copied
 * to the site's root as it is, after the pages, which it never replaces.
 */
export function copyStatic(root: string, files: Map<string, string | Buffer>, diagnostics: Diagnostic[]): void {
  const dir = join(root, 'static');
  if (existsSync(dir)) copyFolder(root, dir, '', files, diagnostics);
}

/**
 * Copies the tree's `site/assets/` (or the package's) into the site under `assets/`, reading
 * only regular files inside the tree: a link out of it, a FIFO or a huge file is reported.
 */
export function copyAssets(root: string, files: Map<string, string | Buffer>, diagnostics: Diagnostic[]): void {
  const dir = ownOrPackage(root, 'site', 'assets');
  copyFolder(isWithin(root, dir) ? root : PACKAGE_ROOT, dir, 'assets/', files, diagnostics);
  // The browser build, beside the package's CommonJS entry (its exports map hides the path).
  const browserBuild = join(dirname(require.resolve('minisearch')), '..', 'umd', 'index.js');
  files.set('assets/vendor/minisearch.js', readFileSync(browserBuild));
}
