import { placeOf } from '../../loader/locate.js';
import type { Operation } from '../../loader/model.js';
import type { Rule } from '../rule.js';
import { templateParts } from './path-params.js';

/** Whitespace and parameter names do not change which requests a path template matches. */
export function routeKey(op: Operation): string {
  const shape = templateParts(op.fullPath.replace(/\s+/g, '')).map((p) => (p.param ? '{}' : p.text)).join('');
  return `${op.method} ${shape}`;
}

/** The first definition, when it matched only once whitespace and parameter names are set aside. */
const alike = (earlier: Operation) => `${earlier.method.toUpperCase()} ${show(earlier.fullPath)} `
  + '(the same route once whitespace and parameter names are set aside)';

/** Paths are quoted when whitespace would otherwise be invisible. */
const show = (path: string) => (/\s/.test(path) ? JSON.stringify(path) : path);

export const duplicateRoute: Rule = {
  id: 'duplicate-route',
  why: 'Two definitions of one method and path leave readers and generated clients to guess which one holds.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    const first = new Map<string, Operation>();
    for (const op of spec.operations) {
      const key = `${op.api}\u0000${routeKey(op)}`;
      const earlier = first.get(key);
      if (!earlier) { first.set(key, op); continue; }
      // A second use of one route documented on purpose (v1.2's peekEvents beside getEvents)
      // names the operation it shares the route with.
      const alternativeOf = (o: Operation) => o.node['x-alternative-of'];
      if (alternativeOf(op) === earlier.node.operationId || alternativeOf(earlier) === op.node.operationId) continue;
      const at = placeOf(earlier.pathItem, earlier.method);
      const same = earlier.fullPath === op.fullPath;
      report({
        node: op.pathItem, key: op.method,
        message: `${op.method.toUpperCase()} ${show(op.fullPath)} is already defined`
          + `${same ? '' : ` as ${alike(earlier)}`} in ${earlier.file.rel}.`,
        hint: 'Keep one definition of each route, or, when two operations describe one route on purpose, '
          + 'name the other in x-alternative-of.',
        related: at ? [{ ...at, label: 'first defined here' }] : undefined,
      });
    }
  },
};
