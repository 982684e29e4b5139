import type { Rule } from '../rule.js';

/**
 * The parts of a path template in order: literal text, and the names between `{` and the next `}`.
 * One forward scan, so a long unclosed `{{{{…` costs linear time (a regex such as `\{[^}]*\}`
 * would retry from every brace).
 */
export function templateParts(path: string): { text: string; param: boolean }[] {
  const parts: { text: string; param: boolean }[] = [];
  let i = 0;
  while (i < path.length) {
    const open = path.indexOf('{', i);
    const close = open === -1 ? -1 : path.indexOf('}', open + 1);
    if (close === -1) { parts.push({ text: path.slice(i), param: false }); break; }
    if (open > i) parts.push({ text: path.slice(i, open), param: false });
    parts.push({ text: path.slice(open + 1, close), param: true });
    i = close + 1;
  }
  return parts;
}

export const pathParams: Rule = {
  id: 'path-params',
  why: 'A path template whose {names} and path parameters disagree cannot be called correctly.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    for (const op of spec.operations) {
      const inPath = templateParts(op.pathKey).filter((p) => p.param).map((p) => p.text);
      const declared = op.parameters.filter((p) => p.node.in === 'path');
      const declaredNames = new Set(declared.map((p) => String(p.node.name)));
      for (const name of new Set(inPath)) {
        if (declaredNames.has(name)) continue;
        report({
          node: op.pathItem, key: op.method,
          message: `${op.method.toUpperCase()} ${op.fullPath}: "{${name}}" is in the path `
            + 'but not declared as a path parameter.',
          hint: `Add a parameter with in: path, name: ${name}, required: true.`,
        });
      }
      const templated = new Set(inPath);
      for (const p of declared) {
        const name = String(p.node.name);
        if (!templated.has(name)) {
          report({
            node: p.node, key: 'name', message: `Path parameter "${name}" does not appear in the path ${op.fullPath}.`,
            hint: 'Rename it to match the path template, or remove it.',
          });
        } else if (p.node.required !== true) {
          report({ node: p.node, key: 'name', message: `Path parameter "${name}" must say required: true.` });
        }
      }
    }
  },
};
