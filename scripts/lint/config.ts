import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import type { SeveritySetting } from '../core/diagnostic.js';
import { UsageError } from '../core/errors.js';

export interface LintConfig {
  rules: Record<string, SeveritySetting>;
  matrixVersion?: string;
  /** The file it came from, for messages. */
  path?: string;
}

export const CONFIG_NAME = '.mxspec.yaml';
const SEVERITIES = new Set(['error', 'warn', 'info', 'off']);

/**
 * Reads the lint configuration: `--config FILE`, else `.mxspec.yaml` in the spec root, else
 * defaults. A configuration that cannot be honoured stops the run (exit 2) rather than being
 * half applied.
 */
export function loadConfig(root: string, explicit: string | undefined, knownRules: Set<string>): LintConfig {
  const path = explicit ? resolve(explicit) : join(root, CONFIG_NAME);
  if (!existsSync(path)) {
    if (explicit) throw new UsageError(`config file ${explicit} does not exist`);
    return { rules: {} };
  }
  let data: unknown;
  try {
    data = yaml.load(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${path}: not valid YAML: ${(err as { reason?: string }).reason ?? String(err)}`);
  }
  if (data === undefined || data === null) return { rules: {}, path };
  if (typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`${path}: expected a mapping with "rules" and "matrixVersion"`);
  const { rules = {}, matrixVersion, ...rest } = data as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length) throw new UsageError(`${path}: unknown setting ${unknownKeys.map((k) => `"${k}"`).join(', ')} (known: rules, matrixVersion)`);
  if (matrixVersion !== undefined && (typeof matrixVersion !== 'string' || !/^\d+\.\d+$/.test(matrixVersion))) {
    throw new UsageError(`${path}: matrixVersion must be a quoted version such as "1.2"`);
  }
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new UsageError(`${path}: "rules" must map rule ids to severities`);
  const out: Record<string, SeveritySetting> = {};
  for (const [id, sev] of Object.entries(rules)) {
    if (!knownRules.has(id) && !id.startsWith('spectral:')) throw new UsageError(`${path}: unknown rule "${id}" (see mxspec lint --list-rules)`);
    if (typeof sev !== 'string' || !SEVERITIES.has(sev)) throw new UsageError(`${path}: rule "${id}": severity must be error, warn, info or off`);
    out[id] = sev as SeveritySetting;
  }
  return { rules: out, matrixVersion: matrixVersion as string | undefined, path };
}
