import { isObject } from '../../loader/pointer.js';
import type { Rule } from '../rule.js';

export const knownFormat: Rule = {
  id: 'known-format',
  why: 'Identifier formats link each field to its grammar and become typed identifiers; an unknown name does neither.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    const known = spec.stringFormats;
    const list = () => (known.size
      ? `Known: ${[...known.keys()].sort().join(', ')}.`
      : 'This tree has no data/string-formats.yaml, so no mx-* format is defined.');
    for (const s of spec.schemas) {
      const format = s.node.format;
      if (typeof format === 'string' && format.startsWith('mx-') && !known.has(format)) {
        report({
          node: s.node, key: 'format', hint: list(),
          message: `format "${format}" is not defined in data/string-formats.yaml.`,
        });
      }
      const patternFormat = s.node['x-pattern-format'];
      if (patternFormat !== undefined && (typeof patternFormat !== 'string' || !known.has(patternFormat))) {
        report({
          node: s.node, key: 'x-pattern-format', hint: list(),
          message: `x-pattern-format ${JSON.stringify(patternFormat)} is not defined in data/string-formats.yaml.`,
        });
      }
    }
    for (const f of known.values()) {
      // A regex is optional: some grammars are not regular, and the format is known all the same.
      for (const field of ['title', 'url'] as const) {
        if (typeof f.node[field] === 'string') continue;
        report({
          node: f.node, message: `String format "${f.name}" has no ${field}.`,
          hint: 'Each format needs a title and the url of the section defining it; a regex of its grammar is optional.',
        });
      }
      if (f.node.regex !== undefined && typeof f.node.regex !== 'string') {
        report({ node: f.node, key: 'regex', message: `The regex of string format "${f.name}" must be a string.` });
      } else if (f.pattern !== undefined && !f.regex) {
        const why = f.regexProblem ?? 'it is not a valid regular expression';
        report({
          node: f.node, key: 'regex',
          message: `The regex of string format "${f.name}" cannot be used: ${why}.`,
        });
      }
    }
    if (spec.stringFormatsFile && !isObject(spec.stringFormatsFile.data)) {
      report({
        file: spec.stringFormatsFile, message: 'data/string-formats.yaml must map format names to their definitions.',
      });
    }
  },
};
