import { isObject } from '../../loader/pointer.js';
import type { Rule } from '../rule.js';

/** Missing or blank; a value of the wrong type is openapi-structure's finding, not this rule's. */
const blank = (v: unknown) => v === undefined || (typeof v === 'string' && v.trim() === '');

export const operationDocs: Rule = {
  id: 'operation-docs',
  why: 'The site renders summary, description and tags for every endpoint; a blank one is a hole in the spec.',
  defaultSeverity: 'error',
  preset: 'strict',
  run({ spec, report }) {
    for (const op of spec.operations) {
      const name = `${op.method.toUpperCase()} ${op.fullPath}`;
      for (const field of ['summary', 'description'] as const) {
        if (blank(op.node[field])) report({ node: op.node, key: op.node[field] === undefined ? undefined : field, message: `${name} has no ${field}.`, hint: field === 'summary' ? 'Add a one-line summary.' : 'Describe what the endpoint does, who may call it and how it fails.' });
      }
      const tags = op.node.tags;
      if (tags === undefined || (Array.isArray(tags) && tags.length === 0)) report({ node: op.node, key: tags === undefined ? undefined : 'tags', message: `${name} has no tags.`, hint: 'Add the module it belongs to, e.g. tags: [Room membership].' });
      const responses = op.node.responses;
      if (!isObject(responses) || Object.keys(responses).length === 0) {
        if (responses === undefined || isObject(responses)) report({ node: op.node, message: `${name} lists no responses.` });
        continue;
      }
      for (const [status, raw] of Object.entries(responses)) {
        const res = spec.deref({ file: op.file, node: raw });
        if (!res || !isObject(res.node) || !blank(res.node.description)) continue;
        report({ node: responses, key: status, message: `Response ${status} of ${name} has no description.`, hint: 'Say when the server sends it.' });
      }
    }
  },
};
