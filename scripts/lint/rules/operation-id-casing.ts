import type { Rule } from '../rule.js';

const LOWER_CAMEL = /^[a-z][a-zA-Z0-9]*$/;

export const operationIdCasing: Rule = {
  id: 'operation-id-casing',
  why: 'operationIds become method names of the typed client, so they follow one convention: lowerCamelCase.',
  defaultSeverity: 'error',
  preset: 'strict',
  run({ spec, report }) {
    for (const op of spec.operations) {
      const id = op.node.operationId;
      if (typeof id !== 'string' || id === '' || LOWER_CAMEL.test(id)) continue;
      const suggestion = id.replace(/[-_\s]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^./, (c) => c.toLowerCase());
      report({ node: op.node, key: 'operationId', message: `operationId "${id}" is not lowerCamelCase.`, hint: LOWER_CAMEL.test(suggestion) ? `Rename it to "${suggestion}".` : 'Use letters and digits only, starting with a lower-case letter.' });
    }
  },
};
