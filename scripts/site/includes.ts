import { realpathSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isWithin, readTreeText, relToRoot, TreeAccessError } from '../core/tree.js';

/** Where a line of a page's expanded Markdown was written. */
export interface LineOrigin { rel: string; line: number }

/** A problem with one `::include` line, reported at that line. */
export interface IncludeProblem { rel: string; line: number; message: string }

export interface Expanded {
  markdown: string;
  origins: LineOrigin[];
  problems: IncludeProblem[];
}

/** Includes nest this deep at most; a page assembled from parts needs two or three levels. */
const MAX_DEPTH = 16;
/**
 * Characters a page may hold, its includes expanded. Markdown is rendered at about 10 MB a
 * minute, so this bounds one page to seconds; the largest page of the published spec is a
 * few hundred kilobytes. It also stops includes that multiply (a file included twice by a file
 * included twice…).
 */
export const MAX_PAGE_CHARS = 2 * 1024 * 1024;

const DIRECTIVE = '::include';

/** The path of an `::include{file=...}` line, or why the line is malformed; undefined for other lines. */
export function includeArgument(line: string): { path: string } | { error: string } | undefined {
  if (!line.startsWith(DIRECTIVE)) return undefined;
  if (line.length > DIRECTIVE.length && line[DIRECTIVE.length] !== '{') return undefined;
  const body = line.trimEnd();
  const usage = `write ::include{file=<path under site/>} alone on its line`;
  if (!body.startsWith(`${DIRECTIVE}{file=`) || !body.endsWith('}')) return { error: `malformed ::include: ${usage}` };
  let path = body.slice(`${DIRECTIVE}{file=`.length, -1);
  if (path.length >= 2 && (path[0] === '"' || path[0] === "'") && path.endsWith(path[0]!)) path = path.slice(1, -1);
  if (path === '' || path.includes('}')) return { error: `malformed ::include: ${usage}` };
  return { path };
}

/** Why an include path may not be followed, judged on its spelling alone; undefined when it may. */
function spellingProblem(path: string): string | undefined {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return 'contains a control character';
  }
  if (path.includes('\\')) return 'contains a backslash; use forward slashes';
  if (path.includes('%')) return 'contains "%"; include paths are plain paths, never percent-encoded';
  if (isAbsolute(path) || path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  if (path.split('/').includes('..')) return 'climbs out with ".."';
  return undefined;
}

interface Walk {
  root: string;
  siteDir: string;
  realSite: string;
  budget: { chars: number; reported: boolean };
  texts: Map<string, string>;
  problems: IncludeProblem[];
}

function realpathOrSelf(abs: string): string {
  try { return realpathSync(abs); } catch { return abs; }
}

/** Reads an include target after checking it stays in `site/`; a string is the refusal. */
function readTarget(walk: Walk, path: string): { rel: string; text: string } | string {
  const shown = `site/${path}`;
  const spelling = spellingProblem(path);
  const only = 'a page may include only files under site/. It was not read.';
  if (spelling) return `::include names ${JSON.stringify(path)}, which ${spelling}; ${only}`;
  const abs = join(walk.siteDir, path);
  if (!isWithin(walk.siteDir, abs)) return `::include names ${shown}, which leaves site/; ${only}`;
  const rel = relToRoot(walk.root, abs);
  const cached = walk.texts.get(abs);
  if (cached !== undefined) return { rel, text: cached };
  const real = realpathOrSelf(abs);
  if (!isWithin(walk.realSite, real)) {
    return `::include names ${shown}, a symbolic link that leads out of site/; it was not read.`;
  }
  try {
    const text = readTreeText(walk.root, abs).text;
    walk.texts.set(abs, text);
    return { rel, text };
  } catch (err) {
    if (err instanceof TreeAccessError) return `::include names ${shown}: ${err.message}`;
    throw err;
  }
}

interface Output { lines: string[]; origins: LineOrigin[] }

function expandInto(walk: Walk, rel: string, text: string, firstLine: number, stack: string[], out: Output): void {
  text.split('\n').forEach((line, i) => {
    const at = { rel, line: firstLine + i };
    const arg = includeArgument(line);
    if (arg === undefined) { out.lines.push(line); out.origins.push(at); return; }
    const fail = (message: string) => walk.problems.push({ ...at, message });
    if ('error' in arg) return fail(arg.error);
    const target = readTarget(walk, arg.path);
    if (typeof target === 'string') return fail(target);
    if (stack.includes(target.rel)) return fail(`::include of ${target.rel} loops back on itself.`);
    if (stack.length > MAX_DEPTH) return fail(`::include of ${target.rel} nests more than ${MAX_DEPTH} levels deep.`);
    // Every include costs something, so a fan-out of empty files is bounded too; the overrun is reported once.
    walk.budget.chars -= target.text.length + 64;
    if (walk.budget.chars < 0) {
      if (walk.budget.reported) return;
      walk.budget.reported = true;
      return fail(`::include of ${target.rel} makes the page larger than ${MAX_PAGE_CHARS / 1048576} MiB; split it.`);
    }
    expandInto(walk, target.rel, target.text, 1, [...stack, target.rel], out);
  });
}

/**
 * Replaces each `::include{file=...}` line (a path under site/) with that file's text, so one
 * long page can be written as several files, each line remembering where it came from. Only
 * files really inside `site/` are read: a path that climbs out, is absolute or percent-encoded,
 * or a symbolic link leading elsewhere is a problem at the including line, and its target is
 * never opened.
 */
export function expandIncludes(root: string, rel: string, text: string, firstLine: number): Expanded {
  const siteDir = join(root, 'site');
  const walk: Walk = {
    root, siteDir, realSite: realpathOrSelf(siteDir), budget: { chars: MAX_PAGE_CHARS - text.length, reported: false },
    texts: new Map(), problems: [],
  };
  const out: Output = { lines: [], origins: [] };
  expandInto(walk, rel, text, firstLine, [rel], out);
  return { markdown: out.lines.join('\n'), origins: out.origins, problems: walk.problems };
}
