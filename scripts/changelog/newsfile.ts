import { lstatSync, mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CommandFailure, UsageError } from '../core/errors.js';
import { isWithin, readTreeText, relToRoot, TreeAccessError } from '../core/tree.js';
import { pyStrip } from './python.js';

/**
 * Writing release notes into the news file, as towncrier's `_writer.py` does: a file per release,
 * or the notes inserted after `start_string` in one file, above the notes already there. Only
 * ever inside the changelogs folder, whole or not at all.
 */

export interface NewsFile {
  /** Absolute path. */
  target: string;
  /** The tree's root and the changelogs folder the file must stay in. */
  treeRoot: string;
  boundary: string;
}

function exists(path: string): boolean {
  try { lstatSync(path); return true; } catch { return false; }
}

/** The nearest folder above `path` that exists, judged by where it really is. */
function realParent(path: string): string {
  let dir = dirname(path);
  while (!exists(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try { return realpathSync(dir); } catch { return dir; }
}

/** Refuses a news file whose folder leads out of the changelogs folder (through a link). */
export function checkNewsFile(file: NewsFile, setting: string): void {
  const shown = relToRoot(file.treeRoot, file.target);
  let boundary = file.boundary;
  try { boundary = realpathSync(file.boundary); } catch { /* compared lexically below */ }
  if (!isWithin(file.boundary, file.target) || !isWithin(boundary, realParent(file.target))) {
    throw new UsageError(`${setting}: ${shown} leads outside the changelogs folder (${file.boundary}); `
      + 'notes are written only inside it');
  }
}

/** The file as Python reads text: UTF-8, universal newlines. Undefined when there is no file. */
export function readNewsFile(file: NewsFile): string | undefined {
  if (!exists(file.target)) return undefined;
  try {
    const { text, badUtf8At } = readTreeText(file.treeRoot, file.target);
    if (badUtf8At !== undefined) {
      const shown = relToRoot(file.treeRoot, file.target);
      throw new UsageError(`${shown} is not valid UTF-8; notes are not inserted into it`);
    }
    return text.replace(/\r\n?/g, '\n');
  } catch (err) {
    if (err instanceof TreeAccessError) throw new UsageError(`the news file: ${err.message}`);
    throw err;
  }
}

export interface Insertion {
  /** The file's current text (undefined: none), or undefined for a file per release. */
  existing?: string;
  startString: string;
  /** towncrier's check for a release already there: its title, when `title_format` gives one. */
  topLine: string;
  content: string;
  force: boolean;
}

/** towncrier's append_to_newsfile: what the file holds afterwards. */
export function insertNotes(i: Insertion): string {
  let header = '';
  let previous = '';
  if (i.existing !== undefined) {
    const at = i.existing.indexOf(i.startString);
    if (at !== -1 && i.startString !== '') {
      header = `${pyStrip(i.existing.slice(0, at), 'right')}\n\n${i.startString}\n`;
      previous = pyStrip(i.existing.slice(at + i.startString.length), 'left');
    } else {
      previous = pyStrip(i.existing, 'left');
    }
  }
  if (i.topLine && previous.includes(i.topLine) && !i.force) {
    throw new UsageError(`the news file already holds notes titled "${i.topLine}"; pass --force to add them again`);
  }
  return header + i.content + (previous ? `\n\n${previous}` : '');
}

/** Writes a file whole or not at all: a temporary sibling, then a rename over the file itself. */
export function writeAtomically(path: string, text: string): void {
  let target = path;
  try { target = realpathSync(path); } catch { /* a new file */ }
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, target);
  } catch (err) {
    try { rmSync(tmp, { force: true }); } catch { /* the folder itself is missing: nothing to clean */ }
    throw new CommandFailure(`cannot write ${path}: ${(err as Error).message}`);
  }
}
