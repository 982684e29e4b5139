import { isObject } from '../../loader/pointer.js';
import type { Rule } from '../rule.js';

export const requestBodyRequired: Rule = {
  id: 'request-body-required',
  why: 'OpenAPI makes bodies optional by default, which is never what a Matrix endpoint means; say so explicitly.',
  defaultSeverity: 'error',
  preset: 'strict',
  run({ spec, report }) {
    for (const op of spec.operations) {
      if (op.root.format === 'swagger-2.0') {
        for (const p of op.parameters) {
          if (p.node.in === 'body' && p.node.required !== true) report({ node: p.node, key: 'in', message: `The body parameter of ${op.method.toUpperCase()} ${op.fullPath} does not say required: true.`, hint: 'Add required: true.' });
        }
        continue;
      }
      if (op.node.requestBody === undefined) continue;
      const body = spec.deref({ file: op.file, node: op.node.requestBody });
      if (!body || !isObject(body.node) || body.node.required === true) continue;
      report({ node: body.node, message: `The request body of ${op.method.toUpperCase()} ${op.fullPath} does not say required: true.`, hint: 'Add required: true to the requestBody.' });
    }
  },
};
