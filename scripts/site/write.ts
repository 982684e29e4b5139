import { writeOutputDir } from '../core/output.js';

/**
 * Writes a built site into a temporary sibling folder, then swaps it for the old one: readers
 * of `out` see the previous site or the new one, never a mix. The folder gets mxspec's mark, so
 * a later build may replace it; call `checkOutputDir(out, root, 'site')` first.
 */
export function writeSiteAtomically(out: string, files: Map<string, string | Buffer>): void {
  writeOutputDir(out, files, 'site');
}
