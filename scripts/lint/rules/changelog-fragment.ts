import { placeAt } from '../../core/source.js';
import type { Fragment } from '../../loader/fragments.js';
import type { Rule, RuleContext } from '../rule.js';

/**
 * What towncrier itself would reject, crash on or silently drop: an unusable configuration, an
 * entry that is not a readable file, a name with no configured type, a folder of no configured
 * section, text that is not UTF-8 or is empty, and two files for one ticket, type and counter.
 * House style (wording, Markdown, the full stop) is changelog-style's business.
 */

const NAMES = 'Fragments are named <number>.<type>, <number>.<type>.<n> or +<name>.<type>.';

function sameSlot(f: Fragment): string | undefined {
  if (!f.section || !f.type || f.nameProblem) return undefined;
  const entry = f.orphan === undefined ? f.counter : `orphan ${f.orphan}`;
  return [f.section.name, f.section.path, f.type.directory, f.ticket, entry].join('\u0000');
}

function duplicate(report: RuleContext['report'], f: Fragment, earlier: Fragment): void {
  const what = f.number !== undefined ? `Number ${f.ticket}` : `Ticket "${f.ticket}"`;
  report({
    place: placeAt(f.source, 0),
    message: `${what} is already used by ${earlier.source.rel} in the same section and type; `
      + 'towncrier stops on two files for one entry.',
    hint: 'Add a counter (.1, .2) to give one number several entries.',
    related: [{ ...placeAt(earlier.source, 0), label: 'first used here' }],
  });
}

function checkFragment(report: RuleContext['report'], f: Fragment): boolean {
  const start = placeAt(f.source, 0);
  if (f.nameProblem) {
    report({ place: start, message: f.nameProblem, hint: NAMES });
    return false;
  }
  if (f.source.badUtf8At !== undefined) {
    report({
      place: placeAt(f.source, f.source.badUtf8At),
      message: 'The fragment is not valid UTF-8 from here on; '
        + 'towncrier would print a replacement character (\uFFFD) for it.',
      hint: 'Save the file as UTF-8.',
    });
    return false;
  }
  if (f.text === '') {
    report({ place: start, message: 'The fragment is empty.', hint: 'Write one sentence saying what changed.' });
    return false;
  }
  return true;
}

export const changelogFragment: Rule = {
  id: 'changelog-fragment',
  why: 'towncrier drops a fragment with an unknown type or section without a word, and stops on an unreadable one; '
    + 'every file in a fragment folder must become an entry.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    if (spec.changelogProblem) {
      const { file, message } = spec.changelogProblem;
      report({ place: { file, line: 1, column: 1 }, message });
    }
    const changelog = spec.changelog;
    if (!changelog) return;
    for (const p of changelog.problems) {
      const hint = 'A fragment folder holds only fragment files: regular files inside the tree.';
      report({ place: { file: p.rel, line: 1, column: 1 }, message: p.message, hint });
    }
    const seen = new Map<string, Fragment>();
    for (const f of changelog.fragments) {
      if (!checkFragment(report, f)) continue;
      const slot = sameSlot(f);
      if (slot === undefined) continue;
      const earlier = seen.get(slot);
      if (earlier) duplicate(report, f, earlier);
      else seen.set(slot, f);
    }
  },
};
