import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Changelog, Fragment } from './fragments.js';

export interface ReleaseEntry {
  text: string;
  numbers: number[];
  /** The rendered links, e.g. `[#3238](…), [#3332](…)`. */
  refs: string;
  fragments: Fragment[];
}

export interface ReleaseNotes {
  version: string;
  date?: string;
  sections: { title: string; types: { title: string; entries: ReleaseEntry[] }[] }[];
}

/**
 * Groups fragments as the notes show them: sections and types in configuration order; one
 * entry per distinct text (its numbers ascending); entries ordered by their lowest number, with
 * orphans, which have none, after them by name. Only well-formed fragments take part.
 */
export function collectNotes(changelog: Changelog, version: string, date?: string): ReleaseNotes {
  const { config } = changelog;
  const link = (n: number) => config.issueFormat.replaceAll('{issue}', String(n));
  return {
    version, date,
    sections: config.sections.map((section) => ({
      title: section.name,
      types: config.types.map((type) => {
        const byText = new Map<string, ReleaseEntry>();
        for (const f of changelog.fragments) {
          if (f.section !== section || f.type !== type || f.nameProblem || f.text === '') continue;
          // Types that hide their text (towncrier's showcontent = false) list all numbers in one bullet.
          const text = type.showContent ? f.text.replace(/\s*\n\s*/g, ' ') : '';
          const entry = byText.get(text) ?? { text, numbers: [], refs: '', fragments: [] };
          if (f.number !== undefined && !entry.numbers.includes(f.number)) entry.numbers.push(f.number);
          entry.fragments.push(f);
          byText.set(text, entry);
        }
        const entries = [...byText.values()];
        for (const e of entries) {
          e.numbers.sort((a, b) => a - b);
          e.refs = e.numbers.map(link).join(', ');
        }
        const orphanName = (e: ReleaseEntry) => e.fragments.map((f) => f.orphan ?? '').sort()[0] ?? '';
        entries.sort((a, b) => (a.numbers[0] ?? Infinity) - (b.numbers[0] ?? Infinity) || (orphanName(a) < orphanName(b) ? -1 : 1));
        return { title: type.name, entries };
      }).filter((t) => t.entries.length > 0),
    })),
  };
}

/** Renders the notes through `templates/changelog/release.md.hbs`. */
export function renderNotes(notes: ReleaseNotes, templatesDir: string): string {
  const source = readFileSync(join(templatesDir, 'changelog', 'release.md.hbs'), 'utf8');
  const template = Handlebars.compile(source, { noEscape: true, strict: false });
  // Blank lines are the template's business only up to one in a row.
  return template(notes).replace(/\n{3,}/g, '\n\n').trim() + '\n';
}
