import type { Place } from '../../core/diagnostic.js';
import { compilePattern, type LinearPattern } from '../../core/pattern.js';
import { own } from '../../core/tree.js';
import { placeOf } from '../../loader/locate.js';
import type { ExampleSite } from '../../loader/model.js';
import { isObject } from '../../loader/pointer.js';
import { ExampleValidator, type JudgedSchemas } from '../example-validator.js';
import { copiesOf, type Copies } from '../../loader/copies.js';
import type { Rule } from '../rule.js';
import { examplePlace, judgedSchemas, schemaJudging } from './example-valid.js';

type Obj = Record<string, unknown>;

export const exampleUndeclaredProperty: Rule = {
  id: 'example-undeclared-property',
  why: 'An example property its schema never declares is a typo or a stale name that readers copy; '
    + 'JSON Schema alone lets it through.',
  defaultSeverity: 'warn',
  preset: 'recommended',
  run({ spec, report }) {
    const copies = copiesOf(spec);
    const judging = schemaJudging(spec);
    const branches = new BranchMatcher(new ExampleValidator(copies));
    for (const ex of spec.examples) {
      if (!ex.schema) continue;
      const value = copies.resolve(ex.file, ex.value);
      let found: Undeclared[];
      try {
        const schemas = judgedSchemas(spec, ex.dialect);
        const at = judging(ex.schema);
        found = new ExampleWalk({ root: schemas.schemaOf(at.file, at.node), schemas }, branches).undeclared(value);
      } catch {
        // A schema too deep to compose or check: example-valid says it cannot be used.
        continue;
      }
      for (const u of found) report(finding(ex, copies, value, u));
    }
  },
};

interface Undeclared { path: string[]; name: string; declaredBy: Obj[] }

function finding(ex: ExampleSite, copies: Copies, value: unknown, u: Undeclared) {
  const where = u.path.length ? ` at /${u.path.join('/')}` : '';
  const declared = u.declaredBy.flatMap((m) => (isObject(m.properties) ? Object.keys(m.properties) : []));
  const names = [...new Set(declared)].sort();
  const shown = names.length > 12 ? `${names.slice(0, 12).join(', ')}, …` : names.join(', ');
  const withProperties = u.declaredBy.find((m) => isObject(m.properties)) ?? u.declaredBy[0];
  const source = withProperties ? copies.origin.get(withProperties) : undefined;
  const schemaPlace: Place | undefined = source
    ? placeOf(source, 'properties' in source ? 'properties' : undefined)
    : undefined;
  return {
    place: copies.placeIn(value, [...u.path, u.name]) ?? examplePlace(ex),
    message: `Example of ${ex.context}${where}: property "${u.name}" is not declared by its schema.`,
    hint: `${names.length ? `Declared: ${shown}. ` : ''}Fix the name, remove it, or declare it `
      + '(properties, patternProperties or additionalProperties).',
    related: schemaPlace ? [{ ...schemaPlace, label: 'schema' }] : undefined,
  };
}

/** The composed schema an example is judged against, within the document of its dialect. */
interface Bundle { root: unknown; schemas: JudgedSchemas }

/** Keywords that may declare properties in a way this rule does not follow: it then stays silent. */
const UNFOLLOWED = ['if', 'then', 'else', 'dependentSchemas', 'dependencies', '$dynamicRef', '$recursiveRef'];

/** A value of the example, the schemas that apply to it, and its path from the example's root. */
interface Step { value: unknown; schemas: unknown[]; path: string[] }

/** The schemas that apply to one value, once references and alternatives are followed. */
interface Applicable { members: Obj[]; open: boolean }

/**
 * Walks an example alongside its schema, without recursion (examples and schemas may be deep,
 * shared or cyclic), and lists each object property no applicable schema declares or allows.
 */
class ExampleWalk {
  private readonly seen = new Map<object, Set<string>>();
  private readonly ids = new WeakMap<object, number>();
  private nextId = 1;

  constructor(private readonly bundle: Bundle, private readonly branches: BranchMatcher) {}

  undeclared(value: unknown): Undeclared[] {
    const out: Undeclared[] = [];
    const queue: Step[] = [{ value, schemas: [this.bundle.root], path: [] }];
    while (queue.length > 0) {
      const { value: v, schemas, path } = queue.pop()!;
      if (v === null || typeof v !== 'object' || this.visited(v, schemas)) continue;
      const applicable = this.applicable(schemas, v);
      if (Array.isArray(v)) queue.push(...this.items(v, applicable, path));
      else queue.push(...this.properties(v as Obj, applicable, path, out));
    }
    return out;
  }

  /** A value met again with the same schemas was judged already. */
  private visited(value: object, schemas: unknown[]): boolean {
    const key = schemas.map((s) => this.id(s)).sort((a, b) => a - b).join(',');
    let keys = this.seen.get(value);
    if (!keys) { keys = new Set(); this.seen.set(value, keys); }
    if (keys.has(key)) return true;
    keys.add(key);
    return false;
  }

  private id(schema: unknown): number {
    if (!isObject(schema)) return schema === false ? -1 : 0;
    let id = this.ids.get(schema);
    if (id === undefined) { id = this.nextId++; this.ids.set(schema, id); }
    return id;
  }

  /** Follows `$ref`s, `allOf` members and the alternatives the value matches. */
  private applicable(schemas: unknown[], value: unknown): Applicable {
    const members: Obj[] = [];
    let open = false;
    const done = new Set<unknown>();
    const stack = [...schemas];
    while (stack.length > 0) {
      const s = stack.pop();
      if (!isObject(s) || done.has(s)) continue;
      done.add(s);
      members.push(s);
      if (typeof s.$ref === 'string') stack.push(this.bundle.schemas.definition(s.$ref));
      if (Array.isArray(s.allOf)) stack.push(...s.allOf);
      if (UNFOLLOWED.some((k) => s[k] !== undefined)) open = true;
      for (const kind of ['oneOf', 'anyOf'] as const) {
        const list = s[kind];
        if (!Array.isArray(list)) continue;
        const matched = this.branches.matching(this.bundle.schemas, list, value);
        if (matched.length === 0 || (kind === 'oneOf' && matched.length > 1)) open = true;
        else stack.push(...matched);
      }
    }
    return { members, open };
  }

  /** Reports undeclared properties of an object, and returns its property values to walk. */
  private properties(value: Obj, { members, open }: Applicable, path: string[], out: Undeclared[]) {
    // With additionalProperties: false an extra property is invalid, and example-valid says so.
    const forbids = members.some((m) => m.additionalProperties === false || m.unevaluatedProperties === false);
    const allowsAny = members.some((m) => allows(m.additionalProperties) || allows(m.unevaluatedProperties));
    // `properties: {}` is how the spec says "an object, any content": only named properties shape it.
    const shaped = members.some((m) => nonEmpty(m.properties) || nonEmpty(m.patternProperties));
    const judge = shaped && !open && !forbids && !allowsAny && typeof value.$ref !== 'string';
    const patterns = members.map((m) => patternsOf(m));
    const next: Step[] = [];
    for (const name of Object.keys(value)) {
      const schemas: unknown[] = [];
      let declared = false;
      members.forEach((m, i) => {
        const named = isObject(m.properties) ? own(m.properties, name) : undefined;
        const byPattern = patterns[i]!.filter((p) => p.pattern === undefined || p.pattern.test(name));
        if (named !== undefined) schemas.push(named);
        for (const p of byPattern) schemas.push(p.schema);
        if (named !== undefined || byPattern.length > 0) declared = true;
        else if (isObject(m.additionalProperties)) schemas.push(m.additionalProperties);
      });
      if (judge && !declared) out.push({ path, name, declaredBy: members });
      if (schemas.length > 0) next.push({ value: value[name], schemas, path: [...path, name] });
    }
    return next;
  }

  /** The item values of an array with the schemas that apply to each. */
  private items(value: unknown[], { members }: Applicable, path: string[]) {
    return value.map((item, i) => {
      const schemas: unknown[] = [];
      for (const m of members) {
        const tuple = Array.isArray(m.prefixItems) ? m.prefixItems : Array.isArray(m.items) ? m.items : undefined;
        if (tuple && i < tuple.length) { schemas.push(tuple[i]); continue; }
        const rest = Array.isArray(m.prefixItems) ? m.items : tuple ? m.additionalItems : m.items;
        if (isObject(rest)) schemas.push(rest);
      }
      return { value: item, schemas, path: [...path, String(i)] };
    });
  }
}

const allows = (v: unknown) => v !== undefined && v !== false;
const nonEmpty = (v: unknown) => isObject(v) && Object.keys(v).length > 0;

/** A schema's pattern properties; one that cannot run (reported elsewhere) matches every name. */
function patternsOf(m: Obj): { pattern?: LinearPattern; schema: unknown }[] {
  if (!isObject(m.patternProperties)) return [];
  return Object.entries(m.patternProperties).map(([source, schema]) => ({
    pattern: compilePattern(source).pattern,
    schema,
  }));
}

/**
 * Which alternatives of a `oneOf`/`anyOf` a value is valid against. A branch is part of a composed
 * definition, registered with the validator already: it is checked where it is, references and all.
 */
class BranchMatcher {
  constructor(private readonly validator: ExampleValidator) {}

  matching(schemas: JudgedSchemas, branches: unknown[], value: unknown): unknown[] {
    return branches.filter((branch) => {
      try {
        return this.validator.matches(schemas, branch, value);
      } catch {
        return false;
      }
    });
  }
}
