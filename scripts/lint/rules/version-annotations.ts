import type { SourceFile } from '../../core/source.js';
import { rawText } from '../../loader/locate.js';
import { isObject } from '../../loader/pointer.js';
import type { Rule } from '../rule.js';

const VERSION = /^(\d+)\.(\d+)$/;

function later(a: string, b: string): boolean {
  const [, am, an] = VERSION.exec(a)!;
  const [, bm, bn] = VERSION.exec(b)!;
  return Number(am) > Number(bm) || (Number(am) === Number(bm) && Number(an) > Number(bn));
}

export const versionAnnotations: Rule = {
  id: 'version-annotations',
  why: '"Added in" and "Changed in" notes are shown to readers and typed as @since; a malformed or future version misleads both.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report, matrixVersion }) {
    const checkVersion = (holder: object, key: string, version: unknown, what: string, written?: string): void => {
      if (typeof version === 'number' || (written !== undefined && /^\d/.test(written) && written !== version)) {
        // YAML reads an unquoted 1.10 as the number 1.1: the version written is not the one loaded.
        report({ node: holder, key, message: `${what} ${written ?? version} is a number, not a version string: YAML reads it as ${String(version)}.`, hint: `Quote it: "${written ?? version}".` });
      } else if (typeof version !== 'string' || !VERSION.test(version)) {
        report({ node: holder, key, message: `${what} ${JSON.stringify(version)} is not a Matrix version like "1.2".` });
      } else if (matrixVersion && later(version, matrixVersion)) {
        report({ node: holder, key, message: `${what} "${version}" is later than the spec's version, ${matrixVersion}.`, hint: 'Set matrixVersion in .mxspec.yaml when the spec moves on.' });
      }
    };
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) { for (const v of node) visit(v); return; }
      if (!isObject(node)) return;
      if ('x-addedInMatrixVersion' in node) checkVersion(node, 'x-addedInMatrixVersion', node['x-addedInMatrixVersion'], 'x-addedInMatrixVersion', rawText(node, 'x-addedInMatrixVersion', 'value'));
      if ('x-changedInMatrixVersion' in node) {
        const changed = node['x-changedInMatrixVersion'];
        if (!isObject(changed)) {
          report({ node, key: 'x-changedInMatrixVersion', message: 'x-changedInMatrixVersion must map versions to notes, e.g. {"1.2": "Added the knock membership."}.' });
        } else {
          for (const [v, note] of Object.entries(changed)) {
            const written = rawText(changed, v, 'key');
            checkVersion(changed, v, v, 'x-changedInMatrixVersion key', written && !/^["']/.test(written) ? written : undefined);
            if (typeof note !== 'string') report({ node: changed, key: v, message: `The note for version ${v} must be a string.` });
          }
        }
      }
      for (const v of Object.values(node)) if (v !== null && typeof v === 'object') visit(v);
    };
    const seen = new Set<SourceFile>();
    for (const file of spec.files) {
      if (!file.parsed || seen.has(file)) continue;
      seen.add(file);
      visit(file.data);
    }
  },
};
