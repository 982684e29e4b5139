import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { computeLineStarts, type SourceFile } from '../core/source.js';
import { isWithin, readTreeText, relToRoot, subfolders, TreeAccessError } from '../core/tree.js';
import {
  ConfigError, loadTowncrierConfig, type ChangelogConfig, type ConfigLocation, type FragmentType, type Section,
} from './towncrier.js';

/**
 * Changelog fragments, found and named as towncrier 22.12 finds and names them
 * (`_builder.py`: `find_fragments`, `parse_newfragment_basename`), but read through the tree's
 * trust boundary: a link out of the tree, a FIFO, a folder or an unreadable entry becomes a
 * problem to report instead of a crash or a hang, and the other fragments still load.
 */

/** One fragment file, with what its name says. */
export interface Fragment {
  source: SourceFile;
  /** Undefined when the file sits in a folder no configured section names. */
  section?: Section;
  /** Undefined when the name has no configured type. */
  type?: FragmentType;
  /** towncrier's ticket: the part before the type, an integer as towncrier writes it ("007" is "7"); "" for orphans. */
  ticket: string;
  /** The ticket as a number, when it is a plain integer. */
  number?: number;
  /** An orphan's name (`+name.type`): an entry with no ticket. */
  orphan?: string;
  /** towncrier's counter: the `.n` after the type (0 without one), or an orphan's running number. */
  counter: number;
  /** The entry text, trimmed. */
  text: string;
  /** Why towncrier would leave the file out of the notes without a word (no configured type or section). */
  nameProblem?: string;
  /** towncrier reads the file, but its name is not one of the house forms; says how towncrier reads it. */
  unusualName?: string;
}

/** A folder entry that is not a readable fragment file: a folder, a FIFO, a link out of the tree or to nowhere. */
export interface EntryProblem {
  abs: string;
  /** Relative to the tree's root, forward slashes. */
  rel: string;
  message: string;
}

export interface Changelog {
  config: ChangelogConfig;
  fragments: Fragment[];
  problems: EntryProblem[];
}

export type { ChangelogConfig, FragmentType, Section } from './towncrier.js';

/** Edit distance, for suggesting the type a misspelt suffix meant. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The whitespace Python's str.strip removes (str.isspace), which differs from JavaScript's trim. */
const PY_SPACE = new Set([...'\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000'].concat(
  Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i)),
));

export const isPySpace = (ch: string): boolean => PY_SPACE.has(ch);

/** Python's str.strip(), str.lstrip() and str.rstrip() without arguments. */
export function pyStrip(s: string, side: 'both' | 'left' | 'right' = 'both'): string {
  let start = 0;
  let end = s.length;
  if (side !== 'right') while (start < end && PY_SPACE.has(s[start]!)) start++;
  if (side !== 'left') while (end > start && PY_SPACE.has(s[end - 1]!)) end--;
  return s.slice(start, end);
}

const PY_INT = /^[+-]?[0-9]+(?:_[0-9]+)*$/;

/** towncrier's strip_if_integer_string: a ticket Python reads as an integer is written as Python writes it. */
export function normalTicket(s: string): string {
  const t = pyStrip(s);
  return PY_INT.test(t) ? BigInt(t.replaceAll('_', '')).toString() : s;
}

export interface ParsedName { ticket: string; type: string; counter: number }

/**
 * towncrier's parse_newfragment_basename: the first dot-separated part after the first that is a
 * type is the type, the part before it the ticket, and a number after it the counter.
 */
export function parseFragmentName(basename: string, types: ReadonlySet<string>): ParsedName | undefined {
  const parts = basename.split('.');
  if (parts.length < 2) return undefined;
  if (parts.length === 2) {
    return types.has(parts[1]!) ? { ticket: normalTicket(parts[0]!), type: parts[1]!, counter: 0 } : undefined;
  }
  for (let i = 1; i < parts.length; i++) {
    if (!types.has(parts[i]!)) continue;
    const next = parts[i + 1];
    const counter = next !== undefined && /^[0-9]+$/.test(next) ? Number(next) : 0;
    return { ticket: normalTicket(parts[i - 1]!), type: parts[i]!, counter };
  }
  return undefined;
}

function closestType(types: readonly FragmentType[], suffix: string): string {
  const distance = (t: FragmentType) => editDistance(suffix, t.directory);
  return [...types].sort((x, y) => distance(x) - distance(y))[0]?.directory ?? '';
}

/** What to say about a name with no configured type: towncrier would skip the file silently. */
function typeProblem(types: readonly FragmentType[], name: string): string {
  const dot = name.indexOf('.');
  const suffix = dot === -1 ? '' : name.slice(dot + 1);
  const guess = closestType(types, suffix.replace(/\.(md|txt|rst)$/, '').replace(/\.[0-9]+$/, ''));
  const names = types.map((t) => t.directory).join(', ');
  return suffix
    ? `".${suffix}" is not a fragment type; did you mean ".${guess}"? (types: ${names})`
    : `"${name}" has no type suffix; name fragments <number>.<type>, e.g. 1234.${guess}.`;
}

/** The house forms: `<number>.<type>`, `<number>.<type>.<n>`, `+<name>.<type>`; else how towncrier reads the name. */
function unusualName(name: string, parsed: ParsedName, orphanPrefix: string): string | undefined {
  const parts = name.split('.');
  const [stem = '', type, counter] = parts;
  if (type === parsed.type && parts.length <= 3) {
    const numbered = /^[0-9]+$/.test(stem);
    const orphan = orphanPrefix !== '' && parsed.ticket === '' && stem.length > orphanPrefix.length;
    if (parts.length === 2 && (numbered || orphan)) return undefined;
    if (parts.length === 3 && numbered && /^[0-9]+$/.test(counter ?? '')) return undefined;
  }
  const read = parsed.ticket === '' ? 'an orphan' : `ticket "${parsed.ticket}"`;
  const prefix = orphanPrefix || '+';
  if (parts.length === 2 && !/^[0-9]+$/.test(stem)) {
    return `"${stem}" is neither a number nor an orphan name (${prefix}name); towncrier reads it as ${read}.`;
  }
  const withCounter = parsed.counter ? `, counter ${parsed.counter}` : '';
  return `"${name}" is not named <number>.<type>, <number>.<type>.<n> or ${prefix}<name>.<type>; `
    + `towncrier reads it as ${read}, type "${parsed.type}"${withCounter}.`;
}

interface Reading {
  config: ChangelogConfig;
  typeNames: Set<string>;
  fragments: Fragment[];
  problems: EntryProblem[];
  /** towncrier numbers orphans per type, across sections. */
  orphanCounters: Map<string, number>;
}

function problem(r: Reading, abs: string, message: string): void {
  r.problems.push({ abs, rel: relToRoot(r.config.treeRoot, abs), message });
}

/** The names in a fragment folder; a folder that is missing is empty, one that cannot be read is a problem. */
function folderEntries(r: Reading, folder: string): string[] {
  const root = r.config.treeRoot;
  try { lstatSync(folder); } catch { return []; }
  try {
    const real = realpathSync(folder);
    if (!isWithin(realpathSync(root), real)) {
      problem(r, folder, `${relToRoot(root, folder)} is a symbolic link to ${real}, outside the spec tree; `
        + 'mxspec reads nothing outside --root.');
      return [];
    }
    return readdirSync(folder).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ELOOP' ? `${code}: a symbolic link loop` : code;
    problem(r, folder, `The folder ${relToRoot(root, folder)} cannot be read (${why}).`);
    return [];
  }
}

function readFragment(r: Reading, folder: string, name: string, section?: Section, parsed?: ParsedName): void {
  const root = r.config.treeRoot;
  const abs = join(folder, name);
  let text: string;
  let badUtf8At: number | undefined;
  try {
    ({ text, badUtf8At } = readTreeText(root, abs));
  } catch (err) {
    if (!(err instanceof TreeAccessError)) throw err;
    problem(r, abs, err.reason === 'folder' ? `${relToRoot(root, abs)} is a folder, not a fragment.` : err.message);
    return;
  }
  const source: SourceFile = {
    abs, rel: relToRoot(root, abs), text, data: undefined, parsed: false, lineStarts: computeLineStarts(text),
  };
  if (badUtf8At !== undefined) source.badUtf8At = badUtf8At;
  const fragment: Fragment = { source, section, ticket: '', counter: 0, text: text.trim() };
  if (parsed) describe(r, fragment, name, parsed);
  else fragment.nameProblem = typeProblem(r.config.types, name);
  if (!section) {
    fragment.nameProblem ??= `"${relToRoot(r.config.fragmentBase, folder)}" is not a configured section `
      + `(sections: ${r.config.sections.map((s) => s.path).join(', ')}).`;
  }
  r.fragments.push(fragment);
}

function describe(r: Reading, fragment: Fragment, name: string, parsed: ParsedName): void {
  const { orphanPrefix, types } = r.config;
  fragment.type = types.find((t) => t.directory === parsed.type);
  fragment.ticket = parsed.ticket;
  fragment.counter = parsed.counter;
  if (orphanPrefix !== '' && parsed.ticket.startsWith(orphanPrefix)) {
    fragment.orphan = parsed.ticket.slice(orphanPrefix.length);
    fragment.ticket = '';
    fragment.counter = r.orphanCounters.get(parsed.type) ?? 0;
    r.orphanCounters.set(parsed.type, fragment.counter + 1);
  } else if (/^[0-9]+$/.test(parsed.ticket) && Number.isSafeInteger(Number(parsed.ticket))) {
    fragment.number = Number(parsed.ticket);
  }
  const unusual = unusualName(name, { ...parsed, ticket: fragment.ticket }, orphanPrefix);
  if (unusual) fragment.unusualName = unusual;
}

function readFolder(r: Reading, folder: string, section: Section | undefined): void {
  for (const name of folderEntries(r, folder)) {
    const parsed = parseFragmentName(name, r.typeNames);
    // Dot files towncrier cannot read as fragments (.gitkeep, .gitignore) are not fragments.
    if (!parsed && name.startsWith('.')) continue;
    readFragment(r, folder, name, section, parsed);
  }
}

/** The folders of sections the configuration does not name, whose fragments towncrier never sees. */
function unknownSectionFolders(config: ChangelogConfig, known: Set<string>): string[] {
  if (!config.sectionsListed) return [];
  const out: string[] = [];
  for (const name of subfolders(config.treeRoot, config.fragmentBase)) {
    const folder = join(config.fragmentBase, name, config.fragmentSubdir ?? '');
    if (known.has(folder) || [...known].some((k) => isWithin(folder, k) || isWithin(k, folder))) continue;
    try { lstatSync(folder); out.push(folder); } catch { /* not a fragment folder */ }
  }
  return out;
}

/**
 * Reads every file of every section's fragment folder, in configuration order, and the folders of
 * sections the configuration does not name, so that nothing is silently skipped.
 */
export function loadFragments(config: ChangelogConfig): { fragments: Fragment[]; problems: EntryProblem[] } {
  const typeNames = new Set(config.types.map((t) => t.directory));
  const r: Reading = { config, typeNames, fragments: [], problems: [], orphanCounters: new Map() };
  const known = new Set<string>();
  for (const section of config.sections) {
    const folder = join(config.fragmentBase, section.path, config.fragmentSubdir ?? '');
    known.add(folder);
    readFolder(r, folder, section);
  }
  for (const folder of unknownSectionFolders(config, known)) readFolder(r, folder, undefined);
  return { fragments: r.fragments, problems: r.problems };
}

/** What loading a changelogs folder gives: the changelog, or why its configuration cannot be used. */
export interface ChangelogLoad {
  changelog?: Changelog;
  /** `file` relative to the tree's root; `setting` names the offending configuration key, when one does. */
  problem?: { file: string; message: string; setting?: string };
}

/** Loads the changelog of a project folder; a folder that does not exist has none. */
export function loadChangelog(location: ConfigLocation): ChangelogLoad {
  const dir = resolve(location.dir);
  try { lstatSync(dir); } catch { return {}; }
  try {
    const config = loadTowncrierConfig(location);
    return { changelog: { config, ...loadFragments(config) } };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const root = resolve(location.root);
    const file = isWithin(root, err.file) ? relToRoot(root, err.file) : err.file;
    return { problem: { file, message: `${file}: ${err.message}`, setting: err.setting } };
  }
}
