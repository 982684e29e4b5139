import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import { readTreeText } from '../core/tree.js';
import type { Changelog, Fragment } from '../loader/fragments.js';
import { renderIssue } from './towncrier.js';

/**
 * The house release notes: Markdown through `templates/changelog/release.md.hbs`, for a spec
 * tree that has that template of its own (this repository does). Every other project gets
 * towncrier's notes (towncrier.ts).
 */

export interface ReleaseEntry {
  text: string;
  /** The numbered tickets, ascending. */
  numbers: number[];
  /** Every ticket, in order (numbers, then names towncrier also accepts). */
  tickets: string[];
  /** The rendered links, e.g. `[#3238](…), [#3332](…)`. */
  refs: string;
  fragments: Fragment[];
}

export interface ReleaseNotes {
  version: string;
  date?: string;
  sections: { title: string; types: { title: string; entries: ReleaseEntry[] }[] }[];
}

/** One line of text: the fragment's lines, trimmed and joined by spaces. */
function oneLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}

function compareTickets(a: string, b: string): number {
  const [na, nb] = [/^[0-9]+$/.test(a), /^[0-9]+$/.test(b)];
  if (na && nb) {
    const d = BigInt(a) - BigInt(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders entries by their lowest ticket; orphans, which have none, after them by name. */
function compareEntries(a: ReleaseEntry, b: ReleaseEntry): number {
  if (a.tickets.length && b.tickets.length) return compareTickets(a.tickets[0]!, b.tickets[0]!);
  if (a.tickets.length !== b.tickets.length) return a.tickets.length ? -1 : 1;
  const orphan = (e: ReleaseEntry) => e.fragments.map((f) => f.orphan ?? '').sort()[0] ?? '';
  return orphan(a) < orphan(b) ? -1 : orphan(a) > orphan(b) ? 1 : 0;
}

/**
 * Groups fragments as the notes show them: sections and types in configuration order; one
 * entry per distinct text (its tickets ascending, each once); entries ordered by their lowest
 * ticket, orphans last. Only well-formed fragments take part.
 */
export function collectNotes(changelog: Changelog, version: string, date?: string): ReleaseNotes {
  const { config } = changelog;
  return {
    version, date,
    sections: config.sections.map((section) => ({
      title: section.name,
      types: config.types.map((type) => {
        const byText = new Map<string, ReleaseEntry>();
        for (const f of changelog.fragments) {
          if (f.section !== section || f.type !== type || f.nameProblem || f.text === '') continue;
          // Types that hide their text (towncrier's showcontent = false) list all tickets in one bullet.
          const text = type.showContent ? oneLine(f.text) : '';
          const entry = byText.get(text) ?? { text, numbers: [], tickets: [], refs: '', fragments: [] };
          if (f.ticket && !entry.tickets.includes(f.ticket)) entry.tickets.push(f.ticket);
          entry.fragments.push(f);
          byText.set(text, entry);
        }
        const entries = [...byText.values()];
        for (const e of entries) {
          e.tickets.sort(compareTickets);
          e.numbers = e.tickets.filter((t) => /^[0-9]+$/.test(t)).map(Number);
          e.refs = e.tickets.map((t) => renderIssue(config.issueFormat, t)).join(', ');
        }
        return { title: type.name, entries: entries.sort(compareEntries) };
      }).filter((t) => t.entries.length > 0),
    })),
  };
}

/** Collapses runs of blank lines to one: blank lines are the template's business only up to one in a row. */
function oneBlankLine(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line !== '' || out[out.length - 1] !== '' || out.length === 0) out.push(line);
  }
  return out.join('\n');
}

/**
 * Renders the notes through `<templatesDir>/changelog/release.md.hbs`. The template may be the
 * tree's own, so it is read as a file of the tree that holds `templatesDir`.
 */
export function renderNotes(notes: ReleaseNotes, templatesDir: string): string {
  const { text } = readTreeText(dirname(templatesDir), join(templatesDir, 'changelog', 'release.md.hbs'));
  const template = Handlebars.compile(text, { noEscape: true, strict: false });
  return `${oneBlankLine(template(notes)).trim()}\n`;
}
