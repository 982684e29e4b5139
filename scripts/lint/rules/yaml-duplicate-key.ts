import { placeAt } from '../../core/source.js';
import type { Rule } from '../rule.js';

export const yamlDuplicateKey: Rule = {
  id: 'yaml-duplicate-key',
  why: 'YAML parsers keep only one of two equal keys, so half of what was written silently disappears.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    for (const p of spec.problems) {
      if (p.kind !== 'duplicate-key') continue;
      report({
        place: placeAt(p.file, p.offset), message: p.message, hint: 'Merge the two entries or rename one.',
        related: p.firstOffset === undefined ? undefined : [{ ...placeAt(p.file, p.firstOffset), label: 'first defined here' }],
      });
    }
  },
};
