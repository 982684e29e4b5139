import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The trust boundary. Everything under a spec root comes from strangers' pull requests, so every
 * read of the tree goes through here: nothing outside the root is read (symbolic links are judged
 * by where they really lead), nothing but regular files is opened, and nothing huge is loaded.
 */

/** Larger files are refused before reading: no spec file comes near it, and a FIFO or device never ends. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export type RefusalReason = 'outside' | 'missing' | 'broken-link' | 'special' | 'folder' | 'too-large' | 'unreadable';

/** Why a path of the tree could not be read; the message is one sentence, fit for a diagnostic. */
export class TreeAccessError extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** True when `abs` is `dir` itself or lies below it (lexically: no file system access). */
export function isWithin(dir: string, abs: string): boolean {
  const rel = relative(dir, abs);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

const realRoots = new Map<string, string>();

function realRoot(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    try {
      real = realpathSync.native(root);
    } catch {
      real = resolve(root);
    }
    realRoots.set(root, real);
  }
  return real;
}

/** The path relative to the root, with forward slashes, for messages. */
export function relToRoot(root: string, abs: string): string {
  return relative(root, abs).split(sep).join('/') || '.';
}

/**
 * Checks that a path may be read as a file of the tree, and says why not: outside the root
 * (also through a symbolic link), missing, a broken link, a folder, a FIFO or device, too large.
 */
export function checkTreeFile(root: string, abs: string): void {
  const shown = isWithin(root, abs) ? relToRoot(root, abs) : abs;
  if (!isWithin(root, abs))
    throw new TreeAccessError(
      'outside',
      abs,
      `${shown} is outside the spec tree; mxspec reads nothing outside --root.`,
    );
  let real: string;
  try {
    real = realpathSync.native(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    let link = false;
    try {
      link = lstatSync(abs).isSymbolicLink();
    } catch {
      /* absent */
    }
    if (link)
      throw new TreeAccessError(
        'broken-link',
        abs,
        `${shown} is a symbolic link that leads nowhere${code === 'ELOOP' ? ' (it loops)' : ''}.`,
      );
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new TreeAccessError('missing', abs, `${shown} does not exist.`);
    throw new TreeAccessError('unreadable', abs, `${shown} cannot be read (${code ?? 'error'}).`);
  }
  if (!isWithin(realRoot(root), real)) {
    throw new TreeAccessError(
      'outside',
      abs,
      `${shown} is a symbolic link to ${real}, outside the spec tree; mxspec reads nothing outside --root.`,
    );
  }
  const stat = statSync(real);
  if (stat.isDirectory()) throw new TreeAccessError('folder', abs, `${shown} is a folder, not a file.`);
  if (!stat.isFile())
    throw new TreeAccessError(
      'special',
      abs,
      `${shown} is not a regular file (a FIFO, socket or device); it is not read.`,
    );
  if (stat.size > MAX_FILE_BYTES) {
    throw new TreeAccessError(
      'too-large',
      abs,
      `${shown} is ${Math.round(stat.size / 1048576)} MiB; files over ${MAX_FILE_BYTES / 1048576} MiB are not read.`,
    );
  }
}

/**
 * What identifies one version of a file without reading it: the entry's device, inode, size and
 * times, taken with lstat (so a file replaced by a link, or by another file, differs). Undefined
 * for anything but a regular file. Caches use it to skip reading a file that has not changed.
 */
export function fileStamp(abs: string): string | undefined {
  try {
    const s = lstatSync(abs, { bigint: true });
    return s.isFile() ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a file of the tree after `checkTreeFile`; throws TreeAccessError. */
export function readTreeBytes(root: string, abs: string): Buffer {
  checkTreeFile(root, abs);
  try {
    return readFileSync(abs);
  } catch (err) {
    throw new TreeAccessError(
      'unreadable',
      abs,
      `${relToRoot(root, abs)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text of a file, and where its encoding breaks when it is not UTF-8 (the offset of the first bad character). */
export interface TreeText {
  text: string;
  badUtf8At?: number;
}

/** Decodes bytes as UTF-8 (a leading byte-order mark dropped), locating the first invalid sequence. */
export function decodeText(bytes: Buffer): TreeText {
  try {
    return { text: strictUtf8.decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    return { text, badUtf8At: Math.max(0, text.indexOf('\uFFFD')) };
  }
}

/** Reads a text file of the tree; throws TreeAccessError. */
export function readTreeText(root: string, abs: string): TreeText {
  return decodeText(readTreeBytes(root, abs));
}

/** A folder entry that could not be listed or followed, for a diagnostic. */
export interface ListProblem {
  abs: string;
  message: string;
}

export interface ListOptions {
  /** Keeps files whose name passes. */
  accept?(name: string): boolean;
  /** Skips folders (and files) whose name fails, e.g. partials or assets. */
  enter?(name: string, entry: Dirent): boolean;
  recursive?: boolean;
}

/**
 * Lists the regular files under a folder of the tree, sorted, iteratively and with a visited set
 * of real paths. Symbolic links are listed only when they lead to a file inside the tree; links
 * out of it, broken links and unreadable folders become problems instead of exceptions.
 */
export function listTree(
  root: string,
  dir: string,
  options: ListOptions = {},
): { files: string[]; problems: ListProblem[] } {
  const files: string[] = [];
  const problems: ListProblem[] = [];
  const seen = new Set<string>();
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let real: string;
    try {
      real = realpathSync.native(current);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    if (!isWithin(realRoot(root), real)) {
      problems.push({
        abs: current,
        message: `${relToRoot(root, current)} leads outside the spec tree; it is not read.`,
      });
      continue;
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' || current !== dir)
        problems.push({
          abs: current,
          message: `The folder ${relToRoot(root, current)} cannot be read (${code ?? 'error'}).`,
        });
      continue;
    }
    const folders: string[] = [];
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (options.enter && !options.enter(e.name, e)) continue;
      const abs = join(current, e.name);
      if (e.isDirectory()) {
        if (options.recursive !== false) folders.push(abs);
        continue;
      }
      const accepted = options.accept?.(e.name) ?? true;
      if (e.isFile()) {
        if (accepted) files.push(abs);
        continue;
      }
      if (e.isSymbolicLink()) {
        followLink(root, abs, accepted, options.recursive !== false ? folders : undefined, files, problems);
        continue;
      }
      if (accepted)
        problems.push({
          abs,
          message: `${relToRoot(root, abs)} is not a regular file (a FIFO, socket or device); it is not read.`,
        });
    }
    for (const f of folders.reverse()) stack.push(f);
  }
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, problems };
}

/**
 * A symbolic link met in a listing: a folder inside the tree is entered, a file inside it listed
 * when its name is wanted. A link that is broken, loops or leads out of the tree is a problem
 * when it could be something wanted: a file with a wanted name, or a folder (a name with no dot).
 */
function followLink(
  root: string,
  abs: string,
  accepted: boolean,
  folders: string[] | undefined,
  files: string[],
  problems: ListProblem[],
): void {
  try {
    checkTreeFile(root, abs);
    if (accepted) files.push(abs);
  } catch (err) {
    if (!(err instanceof TreeAccessError)) throw err;
    if (err.reason === 'folder') folders?.push(abs);
    else if (accepted || !basename(abs).includes('.')) problems.push({ abs, message: err.message });
  }
}

/** The names of the sub-folders of a folder of the tree (links into the tree included), sorted. */
export function subfolders(root: string, dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => {
      if (e.isDirectory()) return true;
      if (!e.isSymbolicLink()) return false;
      try {
        checkTreeFile(root, join(dir, e.name));
        return false;
      } catch (err) {
        return err instanceof TreeAccessError && err.reason === 'folder';
      }
    })
    .map((e) => e.name)
    .sort();
}

/** Own-property lookup: data keys such as `constructor` or `__proto__` never reach Object.prototype. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Sets a property as data, even when its name is `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
