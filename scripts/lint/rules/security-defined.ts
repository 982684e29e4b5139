import { isObject, isRef } from '../../loader/pointer.js';
import type { Rule } from '../rule.js';

export const securityDefined: Rule = {
  id: 'security-defined',
  why: 'A security requirement naming an undefined scheme leaves an endpoint\'s authentication undocumented.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    for (const root of spec.roots) {
      if (root.format === 'not-openapi') continue;
      const doc = root.doc;
      let group: unknown = root.format === 'swagger-2.0' ? doc.securityDefinitions : isObject(doc.components) ? doc.components.securitySchemes : undefined;
      if (isRef(group)) group = spec.deref({ file: root.file, node: group })?.node;
      const schemes = new Set(isObject(group) ? Object.keys(group) : []);
      const check = (requirements: unknown) => {
        if (!Array.isArray(requirements)) return;
        for (const req of requirements) {
          if (!isObject(req)) continue;
          for (const name of Object.keys(req)) {
            if (schemes.has(name)) continue;
            report({
              node: req, key: name,
              message: `Security scheme "${name}" is not defined in ${root.file.rel}.`,
              hint: schemes.size ? `Defined schemes: ${[...schemes].sort().join(', ')}.` : `Define it under ${root.format === 'swagger-2.0' ? 'securityDefinitions' : 'components.securitySchemes'}.`,
            });
          }
        }
      };
      check(doc.security);
      for (const op of spec.operations) if (op.root === root) check(op.node.security);
    }
  },
};
