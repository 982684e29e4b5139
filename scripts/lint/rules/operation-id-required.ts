import type { Rule } from '../rule.js';

export const operationIdRequired: Rule = {
  id: 'operation-id-required',
  why: 'operationIds name the typed client\'s methods and the site\'s anchors; without one an endpoint has no stable name.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    for (const op of spec.operations) {
      const id = op.node.operationId;
      if (typeof id === 'string' && id.trim() !== '') continue;
      report({ node: op.pathItem, key: op.method, message: `${op.method.toUpperCase()} ${op.fullPath} has no operationId.`, hint: 'Add a lowerCamelCase operationId, e.g. "getRoomState".' });
    }
  },
};
