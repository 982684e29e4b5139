import { compareDiagnostics, type Diagnostic, type Place, type Severity } from '../core/diagnostic.js';
import { placeAt, type SourceFile } from '../core/source.js';
import { placeOf } from '../loader/locate.js';
import type { Spec } from '../loader/model.js';
import { ruleSetting, type LintConfig } from './config.js';
import type { Finding, Rule } from './rule.js';

/**
 * The rules whose findings make generated output wrong rather than merely imperfect: a file that
 * does not parse, or a `$ref` that leads nowhere, would silently drop content from the typings
 * and the site, so those commands stop on them.
 */

export interface LintOptions {
  config: LintConfig;
  /** Run only these rules (tests, `--rule`). */
  only?: readonly string[];
  rules?: readonly Rule[];
}

/** Runs every enabled rule on the loaded spec; findings come back located, sorted and deduplicated. */
export async function lintSpec(spec: Spec, options: LintOptions): Promise<Diagnostic[]> {
  const { config } = options;
  // Every rule (and Spectral) is loaded only when asked for: `site` and `types` run two rules and start fast.
  const rules = (options.rules ?? (await import('./rules/index.js')).RULES).filter((r) => !options.only || options.only.includes(r.id));
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const files = new Map(spec.files.map((f) => [f.rel, f]));
  const push = (d: Diagnostic) => {
    const key = `${d.file}:${d.line}:${d.column}:${d.rule}:${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  for (const rule of rules) {
    // Presets and `rules:` decide; a rule asked for by name (`--rule`) runs whatever its preset.
    const setting = ruleSetting(config, rule, options.only?.includes(rule.id));
    if (setting === 'off') continue;
    const severity: Severity = setting;
    await rule.run({
      spec,
      matrixVersion: config.matrixVersion,
      report: (f) => { if (!suppressed(f.node, rule.id)) push(toDiagnostic(spec, files, rule.id, severity, f)); },
    });
  }
  const spectral = !options.only ? await import('./spectral.js') : undefined;
  const ruleset = spectral?.spectralRuleset(spec.root);
  if (spectral && ruleset) {
    for (const d of await spectral.runSpectral(spec, ruleset)) {
      const setting = config.rules[d.rule];
      if (setting === 'off') continue;
      push(setting ? { ...d, severity: setting } : d);
    }
  }
  return out.sort(compareDiagnostics);
}

/**
 * `x-lint-ignore: [rule-id]` on the object a finding is about silences that rule there, and only
 * there: for deliberate exceptions, such as a published operationId that breaks the casing rule.
 */
function suppressed(node: unknown, rule: string): boolean {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return false;
  const ignore = (node as Record<string, unknown>)['x-lint-ignore'];
  return Array.isArray(ignore) && ignore.includes(rule);
}

function toDiagnostic(spec: Spec, files: Map<string, SourceFile>, rule: string, severity: Severity, f: Finding): Diagnostic {
  const place: Place = f.place ?? (f.node !== undefined ? placeOf(f.node, f.key) : undefined)
    ?? (f.file ? placeAt(f.file, 0) : { file: '.', line: 1, column: 1 });
  const d: Diagnostic = { ...place, severity, rule, message: f.message };
  if (f.hint) d.hint = f.hint;
  if (f.related?.length) d.related = f.related;
  const file = files.get(place.file);
  const referrer = file && spec.referrers.get(file);
  if (referrer) {
    const at = placeOf(referrer.holder, '$ref');
    if (at) d.via = [at];
  }
  return d;
}
