import type { SourceFile } from '../../core/source.js';
import { compilePattern, type LinearPattern } from '../../core/pattern.js';
import type { Located } from '../../loader/refs.js';
import type { SchemaSite, Spec } from '../../loader/model.js';
import { isObject } from '../../loader/pointer.js';
import type { Rule } from '../rule.js';

type Node = Record<string, unknown>;

/** What a schema, with the schemas it is built from, defines: names, name patterns, or anything. */
class Definitions {
  readonly names = new Set<string>();
  readonly patterns: LinearPattern[] = [];
  open = false;

  has(name: string): boolean {
    return this.open || this.names.has(name) || this.patterns.some((p) => p.test(name));
  }
}

/**
 * Who composes whom: each schema that appears in an `allOf`, inline or through a `$ref`, maps to
 * the schemas listing it; a `$ref`'d schema also used anywhere else is "used on its own".
 */
class Composition {
  readonly composers = new Map<object, Located<Node>[]>();
  readonly usedAlone = new Set<object>();

  constructor(spec: Spec) {
    const members = new Set<object>();
    for (const s of spec.schemas) {
      if (!Array.isArray(s.node.allOf)) continue;
      for (const branch of s.node.allOf) {
        if (!isObject(branch)) continue;
        members.add(branch);
        const target = typeof branch.$ref === 'string' ? spec.deref({ file: s.file, node: branch }) : undefined;
        const composed = target && isObject(target.node) ? target.node : branch;
        const list = this.composers.get(composed) ?? [];
        list.push({ file: s.file, node: s.node });
        this.composers.set(composed, list);
      }
    }
    // A condition written inline (an alternative, `not`, `if`…) speaks of its parent's properties.
    for (const s of spec.schemas) {
      for (const branch of conditions(s.node)) {
        if (!isObject(branch) || typeof branch.$ref === 'string') continue;
        const list = this.composers.get(branch) ?? [];
        list.push({ file: s.file, node: s.node });
        this.composers.set(branch, list);
      }
    }
    for (const r of spec.refs) {
      if (r.target && isObject(r.target.node) && !members.has(r.holder)) this.usedAlone.add(r.target.node);
    }
  }
}

/** The subschemas of a schema that state conditions on its own object rather than describe a part of it. */
function conditions(node: Node): unknown[] {
  const out: unknown[] = [];
  for (const kw of ['anyOf', 'oneOf'] as const) if (Array.isArray(node[kw])) out.push(...(node[kw] as unknown[]));
  for (const kw of ['not', 'if', 'then', 'else'] as const) if (node[kw] !== undefined) out.push(node[kw]);
  if (isObject(node.dependentSchemas)) out.push(...Object.values(node.dependentSchemas));
  return out;
}

export const requiredPropertiesDefined: Rule = {
  id: 'required-properties-defined',
  why: 'A required property that is never defined is usually a typo, and it forbids every valid value.',
  defaultSeverity: 'error',
  preset: 'recommended',
  run({ spec, report }) {
    const composition = new Composition(spec);
    for (const s of spec.schemas) {
      const required = s.node.required;
      if (!Array.isArray(required) || required.length === 0) continue;
      const own = new Definitions();
      collect(spec, s.file, s.node, own, new Set());
      const missing = required.map((name, i) => [name, i] as const)
        .filter(([name]) => typeof name === 'string' && !own.has(name));
      if (missing.length === 0) continue;
      const byComposer = composition.usedAlone.has(s.node) ? [] : composerDefinitions(spec, composition, s);
      for (const [name, i] of missing) {
        if (byComposer.some((d) => d.has(name as string))) continue;
        report({
          node: required, key: i,
          message: `"${String(name)}" is required but this schema (${s.context}) defines no such property`
            + `${byComposer.length ? ', and neither does any schema composing it with allOf' : ''}.`,
          hint: own.names.size
            ? `Defined properties: ${[...own.names].sort().join(', ')}.`
            : 'Define it under properties, or remove it from required.',
        });
      }
    }
  },
};

/**
 * For each schema that composes this one (directly, or through a chain of allOf), what the whole
 * composition defines: a base may require what only the schemas built on it define.
 */
function composerDefinitions(spec: Spec, composition: Composition, s: SchemaSite): Definitions[] {
  const out: Definitions[] = [];
  const seen = new Set<object>([s.node]);
  const queue = [...(composition.composers.get(s.node) ?? [])];
  while (queue.length > 0) {
    const c = queue.shift()!;
    if (seen.has(c.node)) continue;
    seen.add(c.node);
    const d = new Definitions();
    collect(spec, c.file, c.node, d, new Set());
    out.push(d);
    queue.push(...(composition.composers.get(c.node) ?? []));
  }
  return out;
}

/** Adds what a schema defines, following `$ref`s and its allOf/anyOf/oneOf branches. */
function collect(spec: Spec, file: SourceFile, start: unknown, into: Definitions, seen: Set<unknown>): void {
  const stack: { file: SourceFile; node: unknown }[] = [{ file, node: start }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    const loc = spec.deref(next);
    if (!loc || !isObject(loc.node) || seen.has(loc.node)) continue;
    seen.add(loc.node);
    const n = loc.node;
    if (isObject(n.properties)) for (const k of Object.keys(n.properties)) into.names.add(k);
    if (isObject(n.patternProperties)) {
      for (const p of Object.keys(n.patternProperties)) {
        const compiled = compilePattern(p);
        // A pattern that cannot run (reported by other rules) could define anything.
        if (compiled.pattern) into.patterns.push(compiled.pattern); else into.open = true;
      }
    }
    if (n.additionalProperties !== undefined && n.additionalProperties !== false) into.open = true;
    for (const kw of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = n[kw];
      if (Array.isArray(list)) for (const b of list) stack.push({ file: loc.file, node: b });
    }
  }
}
