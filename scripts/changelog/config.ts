import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';

export interface FragmentType {
  /** The fragment suffix, e.g. `clarification`. */
  directory: string;
  /** The heading in the notes, e.g. `Spec Clarifications`. */
  name: string;
  /** When false, entries show only their links (towncrier's `showcontent`). */
  showContent: boolean;
}

export interface Section {
  name: string;
  /** Folder under the changelogs folder holding this section's fragment folder. */
  path: string;
}

/** A towncrier configuration, read as towncrier reads it. */
export interface ChangelogConfig {
  /** The changelogs folder (absolute). */
  dir: string;
  /** The configuration file (absolute). */
  file: string;
  sections: Section[];
  types: FragmentType[];
  /** Folder of fragments inside each section (towncrier's `directory`, default `newsfragments`). */
  fragmentDir: string;
  /** How one number is shown: towncrier's `issue_format`, `{issue}` replaced. */
  issueFormat: string;
  /** Where released notes go, relative to the changelogs folder; `{version}` is replaced. */
  filename: string;
  orphanPrefix: string;
}

export class ConfigError extends Error {
  constructor(readonly file: string, message: string) { super(message); }
}

export const CONFIG_FILES = ['pyproject.toml', 'towncrier.toml'];

/** towncrier's own defaults, used where a configuration is silent. */
const DEFAULT_TYPES: FragmentType[] = [
  { directory: 'feature', name: 'Features', showContent: true },
  { directory: 'bugfix', name: 'Bugfixes', showContent: true },
  { directory: 'doc', name: 'Improved Documentation', showContent: true },
  { directory: 'removal', name: 'Deprecations and Removals', showContent: true },
  { directory: 'misc', name: 'Misc', showContent: false },
];

const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);

/**
 * Reads `[tool.towncrier]` from the changelogs folder's `pyproject.toml` or `towncrier.toml`:
 * `type` and `section` arrays in order, `directory`, `issue_format`, `filename`, `orphan_prefix`.
 */
export function loadChangelogConfig(dir: string): ChangelogConfig {
  const file = CONFIG_FILES.map((n) => join(dir, n)).find((p) => existsSync(p));
  if (!file) throw new ConfigError(join(dir, CONFIG_FILES[0]!), `no towncrier configuration: expected ${CONFIG_FILES.join(' or ')} in ${dir}`);
  let data: Record<string, unknown>;
  try {
    data = parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(file, `not valid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
  const tool = (data.tool as Record<string, unknown> | undefined)?.towncrier as Record<string, unknown> | undefined;
  if (!tool) throw new ConfigError(file, 'has no [tool.towncrier] table');
  const rawTypes = tool.type;
  const types: FragmentType[] = Array.isArray(rawTypes)
    ? rawTypes.map((t: Record<string, unknown>, i) => {
      if (typeof t.directory !== 'string' || typeof t.name !== 'string') throw new ConfigError(file, `[[tool.towncrier.type]] number ${i + 1} needs "directory" and "name"`);
      return { directory: t.directory, name: t.name, showContent: t.showcontent !== false };
    })
    : DEFAULT_TYPES;
  const rawSections = tool.section;
  const sections: Section[] = Array.isArray(rawSections)
    ? rawSections.map((s: Record<string, unknown>, i) => {
      if (typeof s.name !== 'string' || typeof s.path !== 'string') throw new ConfigError(file, `[[tool.towncrier.section]] number ${i + 1} needs "name" and "path"`);
      return { name: s.name, path: s.path };
    })
    : [{ name: '', path: '' }];
  return {
    dir, file, sections, types,
    fragmentDir: str(tool.directory, 'newsfragments'),
    issueFormat: str(tool.issue_format, '#{issue}'),
    filename: str(tool.filename, 'releases/{version}.md'),
    orphanPrefix: str(tool.orphan_prefix, '+'),
  };
}
