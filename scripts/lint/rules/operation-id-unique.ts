import { placeOf } from '../../loader/locate.js';
import type { Operation } from '../../loader/model.js';
import type { Rule } from '../rule.js';

export const operationIdUnique: Rule = {
  id: 'operation-id-unique',
  why: 'Two operations of one API with the same operationId collide in generated clients and site anchors.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    const first = new Map<string, Operation>();
    for (const op of spec.operations) {
      const id = op.node.operationId;
      if (typeof id !== 'string') continue;
      const key = `${op.api}\u0000${id}`;
      const earlier = first.get(key);
      if (!earlier) { first.set(key, op); continue; }
      const at = placeOf(earlier.node, 'operationId');
      report({
        node: op.node, key: 'operationId',
        message: `operationId "${id}" is already used in the ${op.api} API by ${earlier.method.toUpperCase()} ${earlier.fullPath}.`,
        hint: 'Give each operation of an API its own id.',
        related: at ? [{ ...at, label: 'first used here' }] : undefined,
      });
    }
  },
};
