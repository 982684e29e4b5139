import { placeAt } from '../../core/source.js';
import { editDistance, type Fragment } from '../../loader/fragments.js';
import type { Rule } from '../rule.js';

const words = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}\s]+/gu, ' ').split(/\s+/).filter(Boolean);

/** Word-level edit distance, capped: only "identical" and "one word apart" matter here. */
function wordDistance(a: string[], b: string[]): number {
  if (Math.abs(a.length - b.length) > 1) return 2;
  const symbols = new Map<string, string>();
  const code = (w: string) => {
    if (!symbols.has(w)) symbols.set(w, String.fromCodePoint(0x4e00 + symbols.size));
    return symbols.get(w)!;
  };
  return Math.min(2, editDistance(a.map(code).join(''), b.map(code).join('')));
}

export const changelogNearDuplicate: Rule = {
  id: 'changelog-near-duplicate',
  why: 'Two entries that differ by a word or a comma were usually meant to be one; '
    + 'identical text merges them into one bullet.',
  defaultSeverity: 'warn',
  preset: 'strict',
  run({ spec, report }) {
    const groups = new Map<string, Fragment[]>();
    for (const f of spec.changelog?.fragments ?? []) {
      if (f.nameProblem || !f.section || !f.type || f.text === '') continue;
      const key = `${f.section.path}\u0000${f.type.directory}`;
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    for (const group of groups.values()) {
      for (let i = 0; i < group.length; i++) {
        for (let j = 0; j < i; j++) {
          const [a, b] = [group[j]!, group[i]!];
          if (a.text === b.text) continue;
          const [wa, wb] = [words(a.text), words(b.text)];
          if (wa.length < 3 || wordDistance(wa, wb) > 1) continue;
          report({
            place: placeAt(b.source, 0),
            message: `This entry is almost the same as ${a.source.rel}; as written they become two bullets.`,
            hint: 'If they describe one change, give both fragments exactly the same text so they merge.',
            related: [{ ...placeAt(a.source, 0), label: 'similar entry' }],
          });
          break;
        }
      }
    }
  },
};
