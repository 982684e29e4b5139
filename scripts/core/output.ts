import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, normalize, resolve } from 'node:path';
import { CommandFailure, UsageError } from './errors.js';
import { isWithin } from './tree.js';

/**
 * Output folders. mxspec replaces an output folder whole, so it must never be pointed at
 * something else: it writes only into a folder that is absent, empty, or carries the mark of an
 * earlier mxspec run of the same kind, and never into the spec tree's own files.
 */
export const OUTPUT_MARK = '.mxspec-output';

export type OutputKind = 'site' | 'types';

interface Mark {
  writtenBy: 'mxspec';
  kind: OutputKind;
}

function readMark(dir: string): Mark | undefined {
  try {
    const mark = JSON.parse(readFileSync(join(dir, OUTPUT_MARK), 'utf8')) as Partial<Mark>;
    return mark.writtenBy === 'mxspec' && (mark.kind === 'site' || mark.kind === 'types') ? (mark as Mark) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses, with one line (exit 2), an output folder that would put the tree at risk: the spec
 * root itself, a folder holding it, a folder inside it other than under `dist/`, a file, or a
 * folder holding anything mxspec did not write there.
 */
export function checkOutputDir(out: string, root: string, kind: OutputKind): void {
  const dir = resolve(out);
  const tree = resolve(root);
  checkPlace(out, dir, tree);
  // The same again with symbolic links followed: a link may lead into the tree, or out of dist/.
  const realTree = realTarget(tree);
  const realDir = realTarget(dir);
  checkPlace(out, realDir, realTree);
  if (isWithin(tree, dir) && !isWithin(join(realTree, 'dist'), realDir)) {
    throw new UsageError(
      `--out ${out} is under the tree's dist/, but a symbolic link there leads to ${realDir}, outside the tree`,
    );
  }
  if (!existsSync(dir)) {
    if (lstatSafe(dir)) throw new UsageError(`--out ${out} is a broken symbolic link`);
    return;
  }
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink()) throw new UsageError(`--out ${out} is a symbolic link; name the real folder`);
  if (!stat.isDirectory()) throw new UsageError(`--out ${out} is a file, not a folder`);
  if (readdirSync(dir).length === 0) return;
  const mark = readMark(dir) ?? earlierUnmarkedOutput(dir);
  if (!mark)
    throw new UsageError(
      `--out ${out} holds files mxspec did not write (it has no ${OUTPUT_MARK}); choose an empty or new folder`,
    );
  if (mark.kind !== kind)
    throw new UsageError(`--out ${out} holds the output of mxspec ${mark.kind}, not of mxspec ${kind}`);
}

/**
 * Outputs written before mxspec marked its folders: recognised by their own shape (a site's
 * index page, assets and search index; a typings package's manifest and identifiers module), so
 * that an existing checkout's `dist/` keeps building.
 */
function earlierUnmarkedOutput(dir: string): Mark | undefined {
  const has = (name: string, folder = false) => {
    try {
      const st = lstatSync(join(dir, name));
      return folder ? st.isDirectory() : st.isFile();
    } catch {
      return false;
    }
  };
  const site = has('index.html') && has('assets', true) && has('search-index.json');
  const types = has('package.json') && has('identifiers.d.ts') && has('index.d.ts');
  if (site && !types) return { writtenBy: 'mxspec', kind: 'site' };
  if (types && !site) return { writtenBy: 'mxspec', kind: 'types' };
  return undefined;
}

/** The two rules of place: never the tree or a folder holding it, and inside it only under dist/. */
function checkPlace(out: string, dir: string, tree: string): void {
  if (isWithin(dir, tree))
    throw new UsageError(`--out ${out} is the spec tree or holds it; writing there would replace the tree`);
  if (isWithin(tree, dir) && !isWithin(join(tree, 'dist'), dir)) {
    throw new UsageError(`--out ${out} is inside the spec tree; inside it, output may only go under dist/`);
  }
}

/** Where a path really is: its deepest existing ancestor with links resolved, then the rest. */
function realTarget(path: string): string {
  const rest: string[] = [];
  let existing = path;
  while (!lstatSafe(existing) && dirname(existing) !== existing) {
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  let real = existing;
  try {
    real = realpathSync(existing);
  } catch {
    /* a broken link: judged by its own path */
  }
  return join(real, ...rest);
}

function lstatSafe(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a whole output folder: into a new temporary sibling first, then swapped for the old
 * one, so readers see the previous output or the new one, never a mix, and a failure leaves the
 * previous output as it was. Call `checkOutputDir` first. Paths in `files` are relative; one that
 * would leave the folder is refused.
 */
export function writeOutputDir(out: string, files: Map<string, string | Buffer>, kind: OutputKind): void {
  const dir = resolve(out);
  let tmp: string;
  try {
    mkdirSync(dirname(dir), { recursive: true });
    tmp = mkdtempSync(join(dirname(dir), `.${basename(dir)}.mxspec-tmp-`));
    // mkdtemp makes a private folder; the output is meant to be served and shared.
    chmodSync(tmp, 0o755);
  } catch (err) {
    throw new CommandFailure(`cannot write ${out}: ${(err as Error).message}`);
  }
  const old = `${tmp}-previous`;
  try {
    for (const [rel, content] of files) {
      const abs = normalize(join(tmp, rel));
      if (!isWithin(tmp, abs) || abs === tmp)
        throw new Error(`refusing to write ${rel}, which would leave the output folder`);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
    writeFileSync(join(tmp, OUTPUT_MARK), JSON.stringify({ writtenBy: 'mxspec', kind } satisfies Mark) + '\n');
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    rmSync(old, { recursive: true, force: true });
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(old)) renameSync(old, dir);
    throw new CommandFailure(`cannot write ${out}: ${(err as Error).message}`);
  }
}
