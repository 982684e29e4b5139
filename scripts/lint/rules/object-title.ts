import { isObject } from '../../loader/pointer.js';
import type { Rule } from '../rule.js';

export const objectTitle: Rule = {
  id: 'object-title',
  why: 'The site captions and anchors one table per titled object, and the typings name a type after it; an untitled object has neither.',
  defaultSeverity: 'error',
  preset: 'strict',
  run({ spec, report }) {
    for (const s of spec.schemas) {
      if (s.eventExempt || !isObject(s.node.properties)) continue;
      if (typeof s.node.title === 'string' && s.node.title.trim() !== '') continue;
      report({
        node: s.node, key: 'properties',
        message: `This object schema (${s.context}) has properties but no title.`,
        hint: 'Add a short type-like title, e.g. "title: RoomSummary".',
      });
    }
  },
};
