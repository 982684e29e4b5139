import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CommandFailure } from '../core/errors.js';

/**
 * Writes a built site into a temporary sibling folder, then swaps it for the old one: readers
 * of `out` see the previous site or the new one, never a mix.
 */
export function writeSiteAtomically(out: string, files: Map<string, string | Buffer>): void {
  const tmp = `${out}.tmp-${process.pid}`;
  const old = `${out}.old-${process.pid}`;
  try {
    rmSync(tmp, { recursive: true, force: true });
    for (const [rel, content] of files) {
      const abs = join(tmp, rel);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
    if (existsSync(out)) renameSync(out, old);
    renameSync(tmp, out);
    rmSync(old, { recursive: true, force: true });
  } catch (err) {
    try { rmSync(tmp, { recursive: true, force: true }); } catch { /* nothing to clean */ }
    if (!existsSync(out) && existsSync(old)) renameSync(old, out);
    throw new CommandFailure(`cannot write ${out}: ${(err as Error).message}`);
  }
}
