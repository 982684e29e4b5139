import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../core/diagnostic.js';
import { ownOrPackage, PACKAGE_ROOT } from '../core/package.js';
import { isWithin, listTree, readTreeBytes, relToRoot, TreeAccessError } from '../core/tree.js';

const require = createRequire(import.meta.url);

function assetError(file: string, message: string): Diagnostic {
  return { file, line: 1, column: 1, severity: 'error', rule: 'site-asset', message };
}

/**
 * Copies the tree's `site/assets/` (or the package's) into the site under `assets/`, reading
 * only regular files inside the tree: a link out of it, a FIFO or a huge file is reported.
 */
export function copyAssets(root: string, files: Map<string, string | Buffer>, diagnostics: Diagnostic[]): void {
  const dir = ownOrPackage(root, 'site', 'assets');
  const base = isWithin(root, dir) ? root : PACKAGE_ROOT;
  const listed = listTree(base, dir, { enter: (name) => !name.startsWith('.') });
  for (const p of listed.problems) diagnostics.push(assetError(relToRoot(base, p.abs), p.message));
  for (const abs of listed.files) {
    try {
      files.set(`assets/${relative(dir, abs).split(sep).join('/')}`, readTreeBytes(base, abs));
    } catch (err) {
      if (!(err instanceof TreeAccessError)) throw err;
      diagnostics.push(assetError(relToRoot(base, abs), err.message));
    }
  }
  // The browser build, beside the package's CommonJS entry (its exports map hides the path).
  const browserBuild = join(dirname(require.resolve('minisearch')), '..', 'umd', 'index.js');
  files.set('assets/vendor/minisearch.js', readFileSync(browserBuild));
}
