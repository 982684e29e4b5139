import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../core/diagnostic.js';
import { loadConfig } from '../lint/config.js';
import { lintSpec } from '../lint/engine.js';
import { RULES } from '../lint/rules/index.js';
import { loadSpec } from '../loader/load.js';

/** The repository root (tests run from lib/, compiled). */
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The reference material CI has beside the clone; a user's clone may not. */
export const SHARED = join(REPO, '..', 'shared');
export const V19 = join(SHARED, 'reference', 'matrix-v1.9');
/** The published v1.2 tree: Swagger 2.0 API files with their licence headers, prose under content/. */
export const V12 = join(SHARED, 'reference', 'matrix-v1.2');
export const sharedSkip = existsSync(V19) ? false : `../shared/reference is absent (it comes with CI, not with a clone), so this test cannot read the published spec`;

/** The fixture folders of one rule: scripts/lint/rules/fixtures/<rule>/{pass,fail}. */
export function ruleFixture(rule: string, kind: 'pass' | 'fail'): string {
  return join(REPO, 'scripts', 'lint', 'rules', 'fixtures', rule, kind);
}

/** Lints a spec tree in-process, optionally with one rule only. */
export async function lint(root: string, rule?: string): Promise<Diagnostic[]> {
  const config = loadConfig(root, undefined, new Set(RULES.map((r) => r.id)));
  return lintSpec(loadSpec(root), { config, only: rule ? [rule] : undefined });
}

/** `file:line:column rule` of each finding: what tests compare. */
export function where(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`);
}

export interface CliResult { status: number | null; stdout: string; stderr: string }

/** Runs the real CLI as a user would. */
export function cli(args: string[], cwd = REPO): CliResult {
  // A hang (a FIFO waited on, a regex that never ends) must fail the test, not stall the suite.
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'mxspec.js'), ...args], {
    cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 180_000, maxBuffer: 1 << 28,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes a throwaway spec tree; returns its root and a cleanup function. */
export function tempTree(files: Record<string, string | Buffer>): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'mxspec-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * The two tests every rule has: its failing fixture yields exactly these findings (place and
 * the start of the message), at the rule's default severity, and its passing fixture yields none.
 */
export function ruleFixtureTests(rule: string, expected: readonly (readonly [place: string, message: string])[]): void {
  test(`${rule}: flags each problem of the failing fixture once, where it is`, async () => {
    const found = await lint(ruleFixture(rule, 'fail'), rule);
    assert.deepEqual(where(found), expected.map(([place]) => `${place} ${rule}`));
    found.forEach((d, i) => assert.ok(d.message.startsWith(expected[i]![1]), `${d.message}\n  should start with\n${expected[i]![1]}`));
    const severity = RULES.find((r) => r.id === rule)!.defaultSeverity;
    assert.ok(found.every((d) => d.severity === severity), `every finding is a ${severity}`);
  });
  test(`${rule}: reports nothing on the passing fixture`, async () => {
    assert.deepEqual(where(await lint(ruleFixture(rule, 'pass'), rule)), []);
  });
}
