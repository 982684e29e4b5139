import type { SourceFile } from '../../core/source.js';
import { isObject } from '../../loader/pointer.js';
import type { Rule } from '../rule.js';

export const requiredPropertiesDefined: Rule = {
  id: 'required-properties-defined',
  why: 'A required property that is never defined is usually a typo, and it forbids every valid value.',
  defaultSeverity: 'error',
  run({ spec, report }) {
    // Properties may come from the other branches of an allOf this schema is part of.
    const parents = new Map<object, { file: SourceFile; node: Record<string, unknown> }>();
    for (const s of spec.schemas) {
      if (Array.isArray(s.node.allOf)) for (const b of s.node.allOf) if (isObject(b)) parents.set(b, { file: s.file, node: s.node });
    }
    const defined = (file: SourceFile, node: unknown, names: Set<string>, patterns: RegExp[], seen: Set<unknown>): boolean => {
      const loc = spec.deref({ file, node });
      if (!loc || !isObject(loc.node) || seen.has(loc.node)) return false;
      seen.add(loc.node);
      const n = loc.node;
      let open = false;
      if (isObject(n.properties)) for (const k of Object.keys(n.properties)) names.add(k);
      if (isObject(n.patternProperties)) {
        for (const p of Object.keys(n.patternProperties)) { try { patterns.push(new RegExp(p, 'u')); } catch { /* reported elsewhere */ } }
      }
      if (n.additionalProperties !== undefined && n.additionalProperties !== false) open = true;
      for (const kw of ['allOf', 'anyOf', 'oneOf'] as const) {
        const list = n[kw];
        if (Array.isArray(list)) for (const b of list) open = defined(loc.file, b, names, patterns, seen) || open;
      }
      return open;
    };
    for (const s of spec.schemas) {
      const required = s.node.required;
      if (!Array.isArray(required) || required.length === 0) continue;
      const names = new Set<string>();
      const patterns: RegExp[] = [];
      const seen = new Set<unknown>();
      let open = defined(s.file, s.node, names, patterns, seen);
      for (let p = parents.get(s.node); p; p = parents.get(p.node)) open = defined(p.file, p.node, names, patterns, seen) || open;
      if (open) continue;
      required.forEach((name, i) => {
        if (typeof name !== 'string' || names.has(name) || patterns.some((re) => re.test(name))) return;
        report({
          node: required, key: i,
          message: `"${name}" is required but this schema (${s.context}) defines no such property.`,
          hint: names.size ? `Defined properties: ${[...names].sort().join(', ')}.` : 'Define it under properties, or remove it from required.',
        });
      });
    }
  },
};
