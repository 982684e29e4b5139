import type { Rule } from '../rule.js';

export const refResolves: Rule = {
  id: 'ref-resolves',
  why: 'A broken or looping $ref makes the schema, example or page that uses it silently empty.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    for (const r of spec.refs) {
      if (r.error === undefined) continue;
      report({ node: r.holder, key: '$ref', message: r.error, hint: 'References are relative to the file they are written in.' });
    }
  },
};
