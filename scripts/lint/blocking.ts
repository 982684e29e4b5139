import type { Diagnostic } from '../core/diagnostic.js';
import type { Spec } from '../loader/model.js';
import type { LintConfig } from './config.js';
import { lintSpec } from './engine.js';
import { refResolves } from './rules/ref-resolves.js';
import { yamlSyntax } from './rules/yaml-syntax.js';

/**
 * The rules whose errors stop `types` and `site` from writing anything: a file that does not
 * parse or a `$ref` that leads nowhere leaves nothing sound to build from. Imported on their own,
 * so those commands do not load every lint rule.
 */
export const BLOCKING_RULE_LIST = [yamlSyntax, refResolves];
export const BLOCKING_RULES: readonly string[] = BLOCKING_RULE_LIST.map((r) => r.id);

/** What the blocking rules find (all severities, for the report). */
export function blockingFindings(spec: Spec, config: LintConfig): Promise<Diagnostic[]> {
  return lintSpec(spec, { config, only: BLOCKING_RULES, rules: BLOCKING_RULE_LIST });
}

/** The errors that stop `types` and `site` from writing anything. */
export async function blockingErrors(spec: Spec, config: LintConfig): Promise<Diagnostic[]> {
  return (await blockingFindings(spec, config)).filter((d) => d.severity === 'error');
}
