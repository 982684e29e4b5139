import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { checkTreeFile, isWithin, readTreeText, relToRoot, TreeAccessError } from '../core/tree.js';

/**
 * towncrier's configuration, read as towncrier 22.12 reads it (`_settings/load.py`), with one
 * difference on purpose: every path it names is refused when it leads out of the changelogs
 * folder, because the file comes from strangers' pull requests.
 */

export interface FragmentType {
  /** The fragment suffix, e.g. `clarification`. */
  directory: string;
  /** The heading in the notes, e.g. `Spec Clarifications`. */
  name: string;
  /** When false, entries show only their links (towncrier's `showcontent`). */
  showContent: boolean;
}

export interface Section {
  /** The heading; "" for the one unnamed section of a configuration without sections. */
  name: string;
  /** Folder under the fragment base holding this section's fragments. */
  path: string;
}

/** A towncrier configuration, read as towncrier reads it. */
export interface ChangelogConfig {
  /** The project folder (towncrier's base directory, `--dir`): `filename` is relative to it. */
  dir: string;
  /** The configuration file (absolute). */
  file: string;
  /** The folder no path from the configuration may leave: the changelogs folder. */
  boundary: string;
  /** The root reads are checked against: the spec tree's root, or the boundary when it lies outside. */
  treeRoot: string;
  /** In order. A configuration without `section` has one, named "" at path "". */
  sections: Section[];
  /** True when the configuration lists sections (only then are other folders "unknown sections"). */
  sectionsListed: boolean;
  /** In the order the notes show them. */
  types: FragmentType[];
  /** The folder holding the section folders (absolute). */
  fragmentBase: string;
  /** The folder of fragments inside each section folder: `newsfragments`, or none when `directory` is set. */
  fragmentSubdir?: string;
  /** towncrier's `issue_format`; undefined shows `#N` for numbers and other tickets as they are. */
  issueFormat?: string;
  /** Where notes go, relative to `dir`; with `singleFile` false, `{version}` and friends are replaced. */
  filename: string;
  /** towncrier's `single_file` (default true): insert into one file rather than write one per version. */
  singleFile: boolean;
  /** The Jinja template (absolute); undefined for towncrier's default. */
  template?: string;
  /** Whether the configuration names a template (`towncrier:default` included). */
  templateNamed: boolean;
  startString: string;
  /** A string, `false` (no title at all), or undefined (the template renders the title). */
  titleFormat: string | false | undefined;
  underlines: string[];
  wrap: boolean;
  allBullets: boolean;
  orphanPrefix: string;
  /** The project name and version, when the configuration gives them. */
  name?: string;
  version?: string;
}

/** A configuration that cannot be used; `setting` names the offending key, when one does. */
export class ConfigError extends Error {
  constructor(readonly file: string, message: string, readonly setting?: string) { super(message); }
}

/** Where towncrier looks when no `--config` is given, in its order. */
export const CONFIG_FILES = ['towncrier.toml', 'pyproject.toml'];

export const DEFAULT_START_STRING = '.. towncrier release notes start\n';
export const BUILTIN_DEFAULT_TEMPLATE = 'towncrier:default';

/** towncrier's own types, used where a configuration is silent. */
const DEFAULT_TYPES: FragmentType[] = [
  { directory: 'feature', name: 'Features', showContent: true },
  { directory: 'bugfix', name: 'Bugfixes', showContent: true },
  { directory: 'doc', name: 'Improved Documentation', showContent: true },
  { directory: 'removal', name: 'Deprecations and Removals', showContent: true },
  { directory: 'misc', name: 'Misc', showContent: false },
];

export interface ConfigLocation {
  /** The spec tree's root (from `--root`). */
  root: string;
  /** The project folder (`--dir`, or the tree's `changelogs/`). */
  dir: string;
  /** `--config FILE`, when given. */
  configFile?: string;
}

type Table = Record<string, unknown>;

const isTable = (v: unknown): v is Table =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** Python's truth value of a TOML value (towncrier tests `wrap` that way). */
function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isTable(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

/** The configuration file towncrier would use: `--config`, else towncrier.toml, else pyproject.toml. */
export function findConfigFile(location: ConfigLocation): string | undefined {
  if (location.configFile !== undefined) return resolve(location.configFile);
  return CONFIG_FILES.map((n) => join(resolve(location.dir), n)).find((p) => existsSync(p));
}

/**
 * The tree reads are judged against: the spec root when it holds the project folder; else the folder
 * of the configuration named on the command line, when it holds the project folder; else that folder.
 */
export function treeRootOf(root: string, dir: string, file: string | undefined): string {
  if (isWithin(root, dir)) return root;
  const configDir = file === undefined ? undefined : dirname(file);
  return configDir !== undefined && isWithin(configDir, dir) ? configDir : dir;
}

/**
 * The changelogs folder, which no path from the configuration may leave: the configuration's folder
 * when it holds the project folder and lies in the tree (the towncrier layout of one configuration
 * for several section folders), else the project folder.
 */
export function boundaryOf(treeRoot: string, dir: string, file: string | undefined): string {
  const configDir = file === undefined ? undefined : dirname(file);
  return configDir !== undefined && isWithin(configDir, dir) && isWithin(treeRoot, configDir) ? configDir : dir;
}

/** Where a path really leads: the real path of its nearest existing folder, with the rest appended. */
function realOrSelf(path: string): string {
  let existing = path;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try { return join(realpathSync(existing), relative(existing, path)); } catch { return path; }
}

class Reader {
  constructor(readonly tool: Table, readonly file: string) {}

  fail(setting: string, message: string): never {
    throw new ConfigError(this.file, `${setting} ${message}`, setting);
  }

  string(key: string, fallback: string): string;
  string(key: string): string | undefined;
  string(key: string, fallback?: string): string | undefined {
    const v = this.tool[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'string') this.fail(key, 'must be a string.');
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.tool[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') this.fail(key, 'must be a boolean: false or true.');
    return v;
  }
}

function readToml(treeRoot: string, file: string): Table {
  let text: string;
  try {
    // A --config outside the tree is the user's own choice; it is still read only as a regular file.
    const { text: t, badUtf8At } = readTreeText(isWithin(treeRoot, file) ? treeRoot : dirname(file), file);
    if (badUtf8At !== undefined) throw new ConfigError(file, 'is not valid UTF-8.');
    text = t;
  } catch (err) {
    if (err instanceof TreeAccessError) throw new ConfigError(file, err.message);
    throw err;
  }
  try {
    return parseToml(text) as Table;
  } catch (err) {
    throw new ConfigError(file, `is not valid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
}

function sectionsOf(r: Reader): { sections: Section[]; listed: boolean } {
  const raw = r.tool.section;
  if (raw === undefined) return { sections: [{ name: '', path: '' }], listed: false };
  if (!Array.isArray(raw)) r.fail('section', 'must be an array of tables ([[tool.towncrier.section]]).');
  // towncrier keys sections by name: a repeated name keeps its first place and takes the last path.
  const byName = new Map<string, string>();
  raw.forEach((s: unknown, i) => {
    if (!isTable(s) || typeof s.path !== 'string') r.fail('section', `number ${i + 1} needs a "path" string.`);
    if (s.name !== undefined && typeof s.name !== 'string') {
      r.fail('section', `number ${i + 1}: "name" must be a string.`);
    }
    byName.set((s.name as string | undefined) ?? '', s.path);
  });
  return { sections: [...byName].map(([name, path]) => ({ name, path })), listed: true };
}

/** `[tool.towncrier.fragment.<name>]` tables: sorted by name, as towncrier sorts them. */
function tableTypes(r: Reader, raw: Table): FragmentType[] {
  return Object.keys(raw).sort().map((directory) => {
    const options = raw[directory];
    if (!isTable(options)) r.fail('fragment', `.${directory} must be a table.`);
    const name = options.name ?? capitalize(directory);
    if (typeof name !== 'string') r.fail('fragment', `.${directory}: "name" must be a string.`);
    const show = options.showcontent ?? true;
    if (typeof show !== 'boolean') r.fail('fragment', `.${directory}: "showcontent" must be a boolean.`);
    return { directory, name, showContent: show };
  });
}

/** `[[tool.towncrier.type]]` entries in order; a repeated directory keeps its first place. */
function arrayTypes(r: Reader, raw: unknown): FragmentType[] {
  if (!Array.isArray(raw)) {
    r.fail('type', 'must be an array of tables ([[tool.towncrier.type]]); '
      + 'for one table per type, use [tool.towncrier.fragment.<name>].');
  }
  const byDirectory = new Map<string, FragmentType>();
  raw.forEach((t: unknown, i) => {
    if (!isTable(t) || typeof t.directory !== 'string' || typeof t.name !== 'string') {
      r.fail('type', `number ${i + 1} needs "directory" and "name" strings.`);
    }
    // towncrier 22.12 requires showcontent here; later versions default it to true, and so do we.
    const show = t.showcontent ?? true;
    if (typeof show !== 'boolean') r.fail('type', `number ${i + 1}: "showcontent" must be a boolean.`);
    byDirectory.set(t.directory, { directory: t.directory, name: t.name, showContent: show });
  });
  return [...byDirectory.values()];
}

function typesOf(r: Reader): FragmentType[] {
  const fragment = r.tool.fragment;
  if (fragment !== undefined && !isTable(fragment)) {
    r.fail('fragment', 'must be a table of tables ([tool.towncrier.fragment.<name>]).');
  }
  if (fragment !== undefined && Object.keys(fragment).length > 0) return tableTypes(r, fragment);
  if (truthy(r.tool.type)) return arrayTypes(r, r.tool.type);
  return DEFAULT_TYPES.map((t) => ({ ...t }));
}

/** Python's str.capitalize: the first character upper case, the rest lower case. */
function capitalize(s: string): string {
  const [first = '', ...rest] = [...s];
  return first.toUpperCase() + rest.join('').toLowerCase();
}

function underlinesOf(r: Reader): string[] {
  const raw = r.tool.underlines;
  if (raw === undefined) return ['=', '-', '~'];
  // Python indexes a string like a list of its characters, so towncrier accepts "=-~" too.
  const list = typeof raw === 'string' ? [...raw] : raw;
  if (!Array.isArray(list) || list.length === 0 || list.some((u) => typeof u !== 'string')) {
    r.fail('underlines', 'must be a non-empty list of strings, e.g. ["=", "-", "~"].');
  }
  return list as string[];
}

function titleFormatOf(r: Reader): string | false | undefined {
  const raw = r.tool.title_format;
  if (raw === undefined || raw === false || typeof raw === 'string') return raw;
  return r.fail('title_format', 'must be a string, or false for no title.');
}

/** Refuses a path from the configuration that leads out of the changelogs folder, lexically or through a link. */
function inside(r: Reader, boundary: string, setting: string, abs: string, shown: string): string {
  const real = realOrSelf(boundary);
  if (!isWithin(boundary, abs) || !isWithin(real, realOrSelf(abs))) {
    r.fail(setting, `"${shown}" leads outside the changelogs folder (${boundary}); it must stay inside it.`);
  }
  return abs;
}

function templateOf(r: Reader, configDir: string, boundary: string, treeRoot: string): string | undefined {
  const raw = r.string('template');
  if (raw === undefined || raw === BUILTIN_DEFAULT_TEMPLATE) return undefined;
  if (raw.startsWith('towncrier:')) {
    r.fail('template', `"${raw}": mxspec has its own equivalent of towncrier's "towncrier:default" only; `
      + 'put the template you want in the project and name its file.');
  }
  const abs = inside(r, boundary, 'template', resolve(configDir, raw), raw);
  try {
    checkTreeFile(treeRoot, abs);
  } catch (err) {
    if (err instanceof TreeAccessError) r.fail('template', `"${raw}": ${err.message}`);
    throw err;
  }
  return abs;
}

function versionOf(r: Reader): string | undefined {
  const v = r.string('version');
  if (v !== undefined && versionProblem(v)) r.fail('version', `"${v}" ${versionProblem(v)}`);
  return v;
}

const VERSION_SHAPE = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,63}$/;

/** Why a version string cannot be used (it also becomes part of a file name), or undefined. */
export function versionProblem(version: string): string | undefined {
  if (VERSION_SHAPE.test(version) && !version.includes('..')) return undefined;
  return 'is not a version: use letters, digits, ".", "-", "+" and "_" (at most 64, no leading dot, no ".."), '
    + 'e.g. v1.3 or 1.3.0-rc.1.';
}

function fragmentBaseOf(r: Reader, dir: string, boundary: string): { base: string; subdir?: string } {
  const directory = r.string('directory');
  if (directory !== undefined) {
    // towncrier 22.12 resolves `directory` against the working folder; run from the project folder, as
    // towncrier is meant to be, that is the project folder, which is what it means here.
    return { base: inside(r, boundary, 'directory', resolve(dir, directory), directory) };
  }
  const packageDir = r.string('package_dir', '.');
  const pkg = r.string('package', '');
  const base = inside(r, boundary, 'package_dir', resolve(dir, packageDir, pkg), join(packageDir, pkg));
  return { base, subdir: 'newsfragments' };
}

/** Reads `[tool.towncrier]` of the configuration a location names; throws ConfigError. */
export function loadTowncrierConfig(location: ConfigLocation): ChangelogConfig {
  const dir = resolve(location.dir);
  const file = findConfigFile(location);
  if (file === undefined) {
    const expected = CONFIG_FILES.join(' or ');
    throw new ConfigError(join(dir, CONFIG_FILES[1]!), `no towncrier configuration: expected ${expected} in ${dir}`);
  }
  const treeRoot = treeRootOf(resolve(location.root), dir, file);
  const boundary = boundaryOf(treeRoot, dir, file);
  const data = readToml(treeRoot, file);
  const tool = isTable(data.tool) ? data.tool.towncrier : undefined;
  if (!isTable(tool)) throw new ConfigError(file, 'has no [tool.towncrier] table');
  const r = new Reader(tool, file);
  if (tool.singlefile !== undefined) r.fail('singlefile', 'is not a valid option; did you mean single_file?');
  const { sections, listed } = sectionsOf(r);
  const { base, subdir } = fragmentBaseOf(r, dir, boundary);
  for (const s of sections) inside(r, boundary, 'section path', join(base, s.path, subdir ?? ''), s.path);
  const filename = r.string('filename', 'NEWS.rst');
  if (isAbsolute(filename)) r.fail('filename', `"${filename}" is an absolute path; it must be relative to ${dir}.`);
  inside(r, boundary, 'filename', resolve(dir, filename), filename);
  const templateNamed = tool.template !== undefined;
  return {
    dir, file, boundary, treeRoot, sections, sectionsListed: listed, types: typesOf(r),
    fragmentBase: base, fragmentSubdir: subdir,
    issueFormat: r.string('issue_format'),
    filename, singleFile: r.bool('single_file', true),
    template: templateOf(r, dirname(file), boundary, treeRoot), templateNamed,
    startString: r.string('start_string', DEFAULT_START_STRING),
    titleFormat: titleFormatOf(r),
    underlines: underlinesOf(r),
    wrap: truthy(tool.wrap),
    allBullets: r.bool('all_bullets', true),
    orphanPrefix: r.string('orphan_prefix', '+'),
    name: r.string('name'),
    version: versionOf(r),
  };
}

/** The configuration file's path for messages: relative to the tree's root. */
export function configShown(config: Pick<ChangelogConfig, 'treeRoot' | 'file'>): string {
  return isWithin(config.treeRoot, config.file) ? relToRoot(config.treeRoot, config.file) : config.file;
}
