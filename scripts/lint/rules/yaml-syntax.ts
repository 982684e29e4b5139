import { placeAt } from '../../core/source.js';
import type { Rule } from '../rule.js';

export const yamlSyntax: Rule = {
  id: 'yaml-syntax',
  why: 'A file that does not parse is invisible to every other check; say where it breaks.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    for (const p of spec.problems) {
      if (p.kind === 'duplicate-key') continue;
      report({
        place: placeAt(p.file, p.offset), message: p.message,
        hint: p.kind === 'binary' ? 'Only YAML and JSON text belongs under data/.' : p.kind === 'empty' ? 'Delete the file or give it content.' : undefined,
      });
    }
  },
};
