import { isObject } from '../../loader/pointer.js';
import type { Rule } from '../rule.js';

export const knownFormat: Rule = {
  id: 'known-format',
  why: 'Identifier formats link each field to its grammar and become typed identifiers; an unknown name does neither.',
  defaultSeverity: 'error',
  run({ spec, report }) {
    const known = spec.stringFormats;
    const list = () => (known.size ? `Known: ${[...known.keys()].sort().join(', ')}.` : 'This tree has no data/string-formats.yaml, so no mx-* format is defined.');
    for (const s of spec.schemas) {
      const format = s.node.format;
      if (typeof format === 'string' && format.startsWith('mx-') && !known.has(format)) {
        report({ node: s.node, key: 'format', message: `format "${format}" is not defined in data/string-formats.yaml.`, hint: list() });
      }
      const patternFormat = s.node['x-pattern-format'];
      if (patternFormat !== undefined && (typeof patternFormat !== 'string' || !known.has(patternFormat))) {
        report({ node: s.node, key: 'x-pattern-format', message: `x-pattern-format ${JSON.stringify(patternFormat)} is not defined in data/string-formats.yaml.`, hint: list() });
      }
    }
    for (const f of known.values()) {
      for (const field of ['title', 'url', 'regex'] as const) {
        if (typeof f.node[field] !== 'string') report({ node: f.node, message: `String format "${f.name}" has no ${field}.`, hint: 'Each format needs a title, the url of the section defining it and a regex of its grammar.' });
      }
      if (f.pattern !== undefined && !f.regex) report({ node: f.node, key: 'regex', message: `The regex of string format "${f.name}" is not a valid regular expression.` });
    }
    if (spec.stringFormatsFile && !isObject(spec.stringFormatsFile.data)) {
      report({ file: spec.stringFormatsFile, message: 'data/string-formats.yaml must map format names to their definitions.' });
    }
  },
};
