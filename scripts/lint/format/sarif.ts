import type { Diagnostic } from '../../core/diagnostic.js';
import type { Rule } from '../rule.js';

/** `--format sarif`: SARIF 2.1.0, for code-scanning dashboards. */
export function formatSarif(diagnostics: readonly Diagnostic[], rules: readonly Rule[], version: string): string {
  const ids = [...new Set([...rules.map((r) => r.id), ...diagnostics.map((d) => d.rule)])];
  const why = new Map(rules.map((r) => [r.id, r.why]));
  const location = (p: { file: string; line: number; column: number }) => ({
    physicalLocation: { artifactLocation: { uri: p.file, uriBaseId: 'SRCROOT' }, region: { startLine: p.line, startColumn: p.column } },
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'mxspec', version, informationUri: 'https://spec.matrix.org',
          rules: ids.map((id) => ({ id, shortDescription: { text: why.get(id) ?? id } })),
        },
      },
      results: diagnostics.map((d) => ({
        ruleId: d.rule,
        ruleIndex: ids.indexOf(d.rule),
        level: d.severity === 'error' ? 'error' : d.severity === 'warn' ? 'warning' : 'note',
        message: { text: d.hint ? `${d.message} ${d.hint}` : d.message },
        locations: [location(d)],
        ...(d.via || d.related ? {
          relatedLocations: [...(d.via ?? []).map((v, i) => ({ id: i, ...location(v), message: { text: 'referenced from here' } })),
            ...(d.related ?? []).map((r, i) => ({ id: (d.via?.length ?? 0) + i, ...location(r), message: { text: r.label } }))],
        } : {}),
      })),
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
