import { placeAt } from '../../core/source.js';
import type { Fragment } from '../../loader/fragments.js';
import type { Operation, Spec } from '../../loader/model.js';
import type { Rule } from '../rule.js';

const ENDPOINT = /`(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS)\s+(\/[^`\s]*)`/g;
/**
 * A path with its parameters blanked (`/rooms/{}/join`) and no trailing slashes. A loop, not a
 * regex: paths come from fragments, that is from the tree.
 */
function template(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const close = path[i] === '{' ? path.indexOf('}', i) : -1;
    if (close === -1) { out += path[i]; continue; }
    out += '{}';
    i = close;
  }
  let end = out.length;
  while (end > 0 && out[end - 1] === '/') end--;
  return out.slice(0, end);
}

/** The operations a fragment's section documents: client_server → data/api/client-server. */
function operationsOf(spec: Spec, f: Fragment): Operation[] {
  const api = f.section?.path.replace(/_/g, '-');
  const inApi = spec.operations.filter((o) => o.api === api);
  return inApi.length ? inApi : spec.operations;
}

/** A method and path, full (`/_matrix/client/v3/…`) or below the API's base path (`/knock/…`). */
export function findEndpoint(ops: readonly Operation[], method: string, path: string): Operation | undefined {
  const wanted = template(path);
  const matches = (o: Operation) => template(o.fullPath) === wanted || template(o.pathKey) === wanted
    || (template(o.fullPath).endsWith(wanted) && wanted.startsWith('/'));
  return ops.find((o) => o.method === method.toLowerCase() && matches(o));
}

export const changelogEndpoint: Rule = {
  id: 'changelog-endpoint',
  why: 'A "New Endpoints" entry should name what was added, and a "Removed Endpoints" entry what is gone; '
    + 'checking both against the spec catches typos and stale notes.',
  defaultSeverity: 'error',
  preset: 'strict',
  run({ spec, report }) {
    // Without endpoints there is nothing to check against: not a spec tree, or another project's types.
    if (spec.operations.length === 0) return;
    for (const f of spec.changelog?.fragments ?? []) {
      const kind = f.type?.directory;
      if (f.nameProblem || f.source.badUtf8At !== undefined || (kind !== 'new' && kind !== 'removal')) continue;
      const named = [...f.source.text.matchAll(ENDPOINT)];
      if (named.length === 0) {
        const message = `A "${f.type!.name}" fragment must name at least one endpoint in backticks, `
          + 'e.g. `POST /knock/{roomIdOrAlias}`.';
        report({ place: placeAt(f.source, 0), message });
        continue;
      }
      const ops = operationsOf(spec, f);
      for (const m of named) {
        const found = findEndpoint(ops, m[1]!, m[2]!);
        const place = placeAt(f.source, m.index!);
        if (kind === 'new' && !found) {
          const message = `${m[1]} ${m[2]} is not in the spec, `
            + 'so the fragment announces an endpoint that does not exist.';
          report({ place, message, hint: 'Check the method and path, or add the endpoint under data/api/.' });
        }
        if (kind === 'removal' && found) {
          const message = `${m[1]} ${m[2]} is still in the spec (${found.file.rel}), so it has not been removed.`;
          report({ place, message });
        }
      }
    }
  },
};
