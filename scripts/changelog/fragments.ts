import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { computeLineStarts, type SourceFile } from '../core/source.js';
import type { ChangelogConfig, FragmentType, Section } from './config.js';

/** One fragment file, with what its name says. */
export interface Fragment {
  source: SourceFile;
  /** Undefined when the file sits in a folder no configured section names. */
  section?: Section;
  /** Undefined when the suffix names no configured type. */
  type?: FragmentType;
  /** The number it links to; undefined for orphans. */
  number?: number;
  /** An orphan's name (`+name.type`). */
  orphan?: string;
  /** The `.n` counter that lets one number carry several fragments of a type. */
  counter?: number;
  /** The entry text, trimmed. */
  text: string;
  /** What is wrong with the file name, if anything. */
  nameProblem?: string;
}

export interface Changelog {
  config: ChangelogConfig;
  fragments: Fragment[];
}

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

function closestType(config: ChangelogConfig, suffix: string): string {
  return [...config.types].sort((x, y) => editDistance(suffix, x.directory) - editDistance(suffix, y.directory))[0]?.directory ?? '';
}

/**
 * Reads every file of every `<section>/<fragment folder>/` under the changelogs folder, the
 * folders of unknown sections included, so that nothing is silently skipped.
 */
export function loadFragments(config: ChangelogConfig, root: string): Fragment[] {
  const out: Fragment[] = [];
  const sectionDirs = new Map<string, Section | undefined>();
  for (const s of config.sections) sectionDirs.set(join(config.dir, s.path, config.fragmentDir), s);
  for (const entry of readdirSync(config.dir, { withFileTypes: true })) {
    const candidate = join(config.dir, entry.name, config.fragmentDir);
    if (entry.isDirectory() && !sectionDirs.has(candidate) && existsSync(candidate)) sectionDirs.set(candidate, undefined);
  }
  const typeNames = config.types.map((t) => t.directory).sort((a, b) => b.length - a.length);
  for (const [dir, section] of sectionDirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      if (name.startsWith('.') || !statSync(abs).isFile()) continue;
      const text = readFileSync(abs, 'utf8');
      const source: SourceFile = { abs, rel: relative(root, abs).split(sep).join('/'), text, data: undefined, parsed: false, lineStarts: computeLineStarts(text) };
      const fragment: Fragment = { source, section, text: text.trim() };
      parseName(config, name, typeNames, fragment);
      if (!section) fragment.nameProblem ??= `"${relative(config.dir, dir)}" is not a configured section (sections: ${config.sections.map((s) => s.path).join(', ')}).`;
      out.push(fragment);
    }
  }
  return out;
}

/** `<number>.<type>`, `<number>.<type>.<n>`, `+<name>.<type>`: anything else is a problem, named. */
function parseName(config: ChangelogConfig, name: string, typeNames: string[], fragment: Fragment): void {
  let rest = name;
  const counter = /\.(\d+)$/.exec(rest);
  let type = typeNames.find((t) => rest.endsWith(`.${t}`));
  if (!type && counter) {
    const without = rest.slice(0, counter.index);
    type = typeNames.find((t) => without.endsWith(`.${t}`));
    if (type) { fragment.counter = Number(counter[1]); rest = without; }
  }
  if (!type) {
    const dot = name.indexOf('.');
    const suffix = dot === -1 ? '' : name.slice(dot + 1);
    const guess = closestType(config, suffix.replace(/\.(md|txt|rst)$/, '').replace(/\.\d+$/, ''));
    fragment.nameProblem = suffix
      ? `".${suffix}" is not a fragment type; did you mean ".${guess}"? (types: ${config.types.map((t) => t.directory).join(', ')})`
      : `"${name}" has no type suffix; name fragments <number>.<type>, e.g. 1234.${guess}.`;
    return;
  }
  fragment.type = config.types.find((t) => t.directory === type);
  const stem = rest.slice(0, -(type.length + 1));
  if (stem.startsWith(config.orphanPrefix) && stem.length > config.orphanPrefix.length) fragment.orphan = stem.slice(config.orphanPrefix.length);
  else if (/^\d+$/.test(stem)) fragment.number = Number(stem);
  else fragment.nameProblem = `"${stem}" is neither a number nor an orphan name (${config.orphanPrefix}name).`;
}
