import type { Rule } from '../rule.js';

export const treeLayout: Rule = {
  id: 'tree-layout',
  why: 'API folder names become module names, URLs and anchors; one that needs cleaning up gets a surprising name.',
  defaultSeverity: 'warn',
  preset: 'recommended',
  run({ spec, report }) {
    for (const p of spec.layoutProblems) {
      report({
        place: { file: p.path, line: 1, column: 1 },
        message: p.message,
        hint: 'Rename the folder, e.g. "client-server".',
      });
    }
  },
};
