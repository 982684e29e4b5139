import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or installed package) root: the default `--root`, and home of the default templates and assets. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A folder of the spec tree (its `templates/changelog`, `site/assets`, …) when it has one, else the package's own. */
export function ownOrPackage(root: string, ...parts: string[]): string {
  const own = join(root, ...parts);
  return existsSync(own) ? own : join(PACKAGE_ROOT, ...parts);
}

export const VERSION = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
