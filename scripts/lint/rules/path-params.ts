import type { Rule } from '../rule.js';

export const pathParams: Rule = {
  id: 'path-params',
  why: 'A path template whose {names} and path parameters disagree cannot be called correctly.',
  defaultSeverity: 'error',
  run({ spec, report }) {
    for (const op of spec.operations) {
      const inPath = [...op.pathKey.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!);
      const declared = op.parameters.filter((p) => p.node.in === 'path');
      const declaredNames = new Set(declared.map((p) => String(p.node.name)));
      for (const name of new Set(inPath)) {
        if (declaredNames.has(name)) continue;
        report({ node: op.pathItem, key: op.method, message: `${op.method.toUpperCase()} ${op.fullPath}: "{${name}}" is in the path but not declared as a path parameter.`, hint: `Add a parameter with in: path, name: ${name}, required: true.` });
      }
      const templated = new Set(inPath);
      for (const p of declared) {
        const name = String(p.node.name);
        if (!templated.has(name)) {
          report({ node: p.node, key: 'name', message: `Path parameter "${name}" does not appear in the path ${op.fullPath}.`, hint: 'Rename it to match the path template, or remove it.' });
        } else if (p.node.required !== true) {
          report({ node: p.node, key: 'name', message: `Path parameter "${name}" must say required: true.` });
        }
      }
    }
  },
};
