import { RE2JS } from 're2js';

/**
 * Regular expressions written in the spec (`string-formats.yaml` regexes, schema `pattern` and
 * `patternProperties`) come from the tree, so they run on RE2, whose matching time is linear in
 * the input: `^(a+)+$` against a long string takes milliseconds instead of forever. RE2 has no
 * lookaround and no backreferences; a pattern using them is reported, never run on JavaScript's
 * backtracking engine.
 */
export interface LinearPattern {
  readonly source: string;
  /** True when the pattern matches somewhere in the text, as JavaScript's `RegExp.test` does. */
  test(text: string): boolean;
  toString(): string;
}

export type CompiledPattern = { pattern: LinearPattern; error?: undefined } | { pattern?: undefined; error: string };

const compiled = new Map<string, CompiledPattern>();

/** Compiles a pattern once (results are cached by source); an unsupported or invalid one gives a reason. */
export function compilePattern(source: string): CompiledPattern {
  const known = compiled.get(source);
  if (known) return known;
  const result = compileUncached(source);
  if (compiled.size > 10000) compiled.clear();
  compiled.set(source, result);
  return result;
}

function compileUncached(source: string): CompiledPattern {
  try {
    const re = RE2JS.compile(translate(source));
    // toString names the pattern: Ajv caches compiled patterns by it.
    return { pattern: { source, test: (text: string) => re.test(text), toString: () => `/${source}/` } };
  } catch (err) {
    const reason = (err as Error).message.replace(/^error parsing regexp: /, '');
    const unsupported = reason.includes('unsupported Perl syntax') || reason.includes('invalid escape');
    return {
      error: unsupported
        ? `it uses syntax a linear-time engine cannot run (${reason})`
        : `it is not a valid regular expression (${reason})`,
    };
  }
}

/**
 * ECMAScript spellings RE2 does not know, rewritten to their RE2 equivalents: `\d` and friends are
 * the same, but `\u{...}`/`\uXXXX` escapes and `[^]` are not.
 */
function translate(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && source[i + 1] === 'u') {
      const braced = source[i + 2] === '{' ? source.indexOf('}', i + 3) : -1;
      if (braced !== -1) {
        out += `\\x{${source.slice(i + 3, braced)}}`;
        i = braced;
        continue;
      }
      const hex = source.slice(i + 2, i + 6);
      if (/^[0-9a-fA-F]{4}$/.test(hex)) {
        out += `\\x{${hex}}`;
        i += 5;
        continue;
      }
    }
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '[' && source[i + 1] === '^' && source[i + 2] === ']') {
      out += '(?s:.)';
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}
