import { existsSync } from 'node:fs';
import * as fsPromises from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import type { Diagnostic, Severity } from '../core/diagnostic.js';
import { placeAtPath } from '../loader/locate.js';
import type { Spec } from '../loader/model.js';

const RULESET_NAMES = ['.spectral.yaml', '.spectral.yml', '.spectral.json'];

export function spectralRuleset(root: string): string | undefined {
  return RULESET_NAMES.map((n) => join(root, n)).find((p) => existsSync(p));
}

const SEVERITY: Record<number, Severity> = { 0: 'error', 1: 'warn', 2: 'info', 3: 'info' };

/**
 * Runs the house rules of a `.spectral.yaml` on every API root file and returns their findings
 * as diagnostics (rule ids `spectral:<code>`). Spectral is loaded only when a ruleset exists: it
 * is the slowest part of linting and most trees have none.
 */
export async function runSpectral(spec: Spec, rulesetPath: string): Promise<Diagnostic[]> {
  const require = createRequire(import.meta.url);
  const core = require('@stoplight/spectral-core') as typeof import('@stoplight/spectral-core');
  const parsers = require('@stoplight/spectral-parsers') as typeof import('@stoplight/spectral-parsers');
  const { bundleAndLoadRuleset } = require('@stoplight/spectral-ruleset-bundler/with-loader') as typeof import('@stoplight/spectral-ruleset-bundler/with-loader');
  const rel = (abs: string) => relative(spec.root, abs).split(sep).join('/');
  const offline = (async (url: string) => {
    throw new Error(`${url}: mxspec reads no network; rulesets must be local files`);
  }) as unknown as typeof fetch;
  let ruleset;
  try {
    ruleset = await bundleAndLoadRuleset(rulesetPath, { fs: fsPromises as never, fetch: offline });
  } catch (err) {
    return [{
      file: rel(rulesetPath), line: 1, column: 1, severity: 'error', rule: 'spectral:ruleset',
      message: `The Spectral ruleset could not be loaded: ${(err as Error).message.split('\n')[0]}`,
    }];
  }
  const spectral = new core.Spectral();
  spectral.setRuleset(ruleset);
  const out: Diagnostic[] = [];
  for (const root of spec.roots) {
    if (root.format === 'not-openapi') continue;
    const document = new core.Document(root.file.text, parsers.Yaml, root.file.abs);
    const results = await spectral.run(document);
    for (const r of results) {
      const source = r.source ? rel(r.source) : root.file.rel;
      // Spectral points at values; where the path is in our model, point at the key as the
      // other rules do, so one problem reads the same whoever found it.
      const ours = source === root.file.rel && r.path.length ? placeAtPath(root.doc, r.path) : undefined;
      out.push({
        file: source, line: ours?.line ?? r.range.start.line + 1, column: ours?.column ?? r.range.start.character + 1,
        severity: SEVERITY[r.severity] ?? 'warn', rule: `spectral:${String(r.code)}`, message: r.message,
        ...(r.path.length ? { hint: `at ${r.path.join('.')}` } : {}),
      });
    }
  }
  return out;
}
