import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import yaml from 'js-yaml';
import type { SeveritySetting } from '../core/diagnostic.js';
import { UsageError } from '../core/errors.js';
import { own, readTreeText, TreeAccessError } from '../core/tree.js';
import type { Rule } from './rule.js';

/** `recommended`: rules that find defects, on any tree. `strict`: those plus this project's house style. */
export type Preset = 'recommended' | 'strict';
export const PRESETS: readonly Preset[] = ['recommended', 'strict'];

export interface LintConfig {
  /**
   * Severity settings by rule id. A null-prototype map: the ids come from the tree's own
   * configuration, so `__proto__` or `constructor` must be plain keys, never inherited ones.
   */
  rules: Record<string, SeveritySetting>;
  /** The preset the configuration extends; `recommended` when absent. */
  extends?: Preset;
  matrixVersion?: string;
  /** The file it came from, for messages. */
  path?: string;
}

export const CONFIG_NAME = '.mxspec.yaml';
const SEVERITIES = new Set(['error', 'warn', 'info', 'off']);
const KNOWN_KEYS = 'extends, rules, matrixVersion';
/** Larger configuration files are refused: a real one is a few lines. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** An empty rules map that no data key can reach through its prototype. */
function ruleMap(): Record<string, SeveritySetting> {
  return Object.create(null) as Record<string, SeveritySetting>;
}

/**
 * The severity a rule runs at, or `off`. An entry under `rules:` wins; otherwise a rule runs at
 * its default severity when the preset includes it, or when it was named on its own (`--rule`).
 */
export function ruleSetting(config: LintConfig, rule: Rule, named = false): SeveritySetting {
  const set = own(config.rules, rule.id);
  if (set !== undefined) return set;
  return named || presetIncludes(config.extends ?? 'recommended', rule) ? rule.defaultSeverity : 'off';
}

/** Whether a preset runs a rule: `strict` runs every rule, `recommended` only the defect finders. */
export function presetIncludes(preset: Preset, rule: Rule): boolean {
  return preset === 'strict' || (rule.preset ?? 'recommended') === 'recommended';
}

/**
 * Reads the lint configuration: `--config FILE`, else `.mxspec.yaml` in the spec root, else
 * defaults. A configuration that cannot be honoured stops the run (exit 2) rather than being
 * half applied.
 */
/** `knownRules` checks the names under `rules:`; commands that run no rules by name leave it out. */
export function loadConfig(root: string, explicit: string | undefined, knownRules?: Set<string>): LintConfig {
  const path = explicit ? resolve(explicit) : join(root, CONFIG_NAME);
  const text = explicit ? readExplicit(explicit, path) : readFromTree(root, path);
  if (text === undefined) return { rules: ruleMap() };
  let data: unknown;
  try {
    data = yaml.load(text);
  } catch (err) {
    const reason = (err as { reason?: string }).reason ?? (err as Error).message;
    throw new UsageError(`${path}: not valid YAML: ${oneLine(reason)}`);
  }
  if (data === undefined || data === null) return { rules: ruleMap(), path };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`${path}: expected a mapping with ${KNOWN_KEYS}`);
  }
  const settings = data as Record<string, unknown>;
  const unknownKeys = Object.keys(settings).filter((k) => !['extends', 'rules', 'matrixVersion'].includes(k));
  if (unknownKeys.length) {
    const names = unknownKeys.map((k) => shortJson(k)).join(', ');
    throw new UsageError(`${path}: unknown setting ${names} (known: ${KNOWN_KEYS})`);
  }
  return {
    rules: readRules(path, own(settings, 'rules'), knownRules),
    extends: readPreset(path, own(settings, 'extends')),
    matrixVersion: readMatrixVersion(path, own(settings, 'matrixVersion')),
    path,
  };
}

/** The file named with `--config`: trusted, since the user chose it, but it may still be no file. */
function readExplicit(shown: string, path: string): string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`config file ${shown} is not a regular file`);
    size = stat.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`config file ${shown} does not exist`);
  }
  if (size > MAX_CONFIG_BYTES) {
    throw new UsageError(`config file ${shown} is over 1 MiB; a lint configuration is a few lines`);
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`config file ${shown} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * The tree's own `.mxspec.yaml` is untrusted like the rest of the tree: read through the trust
 * boundary, so a link out of the tree, a FIFO or a huge file is refused instead of followed.
 */
function readFromTree(root: string, path: string): string | undefined {
  try {
    const { text } = readTreeText(root, path);
    if (text.length > MAX_CONFIG_BYTES) {
      throw new UsageError(`${path}: over 1 MiB; a lint configuration is a few lines`);
    }
    return text;
  } catch (err) {
    if (!(err instanceof TreeAccessError)) throw err;
    if (err.reason === 'missing') return undefined;
    throw new UsageError(`${CONFIG_NAME}: ${err.message}`);
  }
}

function readPreset(path: string, value: unknown): Preset | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (PRESETS as readonly string[]).includes(value)) return value as Preset;
  throw new UsageError(`${path}: extends must be ${PRESETS.join(' or ')}, not ${shortJson(value)}`);
}

function readMatrixVersion(path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^\d{1,6}\.\d{1,6}$/.test(value)) return value;
  throw new UsageError(`${path}: matrixVersion must be a quoted version such as "1.2"`);
}

function readRules(path: string, value: unknown, knownRules: Set<string> | undefined): Record<string, SeveritySetting> {
  const out = ruleMap();
  if (value === undefined) return out;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${path}: "rules" must map rule ids to severities`);
  }
  for (const [id, sev] of Object.entries(value)) {
    if (knownRules && !knownRules.has(id) && !id.startsWith('spectral:')) {
      throw new UsageError(`${path}: unknown rule ${shortJson(id)} (see mxspec lint --list-rules)`);
    }
    if (typeof sev !== 'string' || !SEVERITIES.has(sev)) {
      throw new UsageError(`${path}: rule ${shortJson(id)}: severity must be error, warn, info or off`);
    }
    out[id] = sev as SeveritySetting;
  }
  return out;
}

/** A value from the file, quoted and cut short, for a one-line message. */
function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function oneLine(text: string): string {
  const first = text.split('\n')[0]!.trim();
  return first.length > 200 ? `${first.slice(0, 197)}...` : first;
}
