import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertNoCrash, BASE_TREE, hostileTree } from '../testing/hostile.js';
import { cli } from '../testing/support.js';

/**
 * Every schema of a long chain of files carries an example, so each example's schema reaches all
 * the links after it. Judging them must share that work (a tree of 5,000 links used to take
 * minutes); the timeout only catches a hang, speed itself is measured by `npm run bench`.
 */
const HANG_GUARD = { timeout: 200_000 };
const LINKS = 5000;
const WRONG = 4000;

interface Found { file: string; line: number; column: number; rule: string; message: string }

/** Link `i` of the chain: a string property of its own, the next link, and an example. */
function link(i: number): string {
  const next = i + 1 < LINKS ? `  next: {$ref: c${i + 1}.yaml}\n` : '';
  // One example deep in the chain breaks its own schema: a number where a string is wanted.
  const example = i === WRONG ? `{n${i}: 7}` : `{n${i}: x}`;
  return `title: Link${i}\ntype: object\nproperties:\n  n${i}: {type: string}\n${next}example: ${example}\n`;
}

/** The base tree with its Thing leading into the chain. */
function chainTree() {
  const files: Record<string, string> = {};
  for (let i = 0; i < LINKS; i++) files[`data/api/test/definitions/chain/c${i}.yaml`] = link(i);
  const thing = readFileSync(join(BASE_TREE, 'data/api/test/definitions/thing.yaml'), 'utf8');
  assert.ok(thing.includes('\nproperties:\n'), 'the base Thing has properties');
  const chain = '\nproperties:\n  chain:\n    $ref: chain/c0.yaml\n';
  files['data/api/test/definitions/thing.yaml'] = thing.replace('\nproperties:\n', chain);
  return hostileTree(files);
}

/** Line and column (1-based) of the first occurrence of `needle` in `text`. */
function position(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  assert.ok(at !== -1, `${needle} is in the fixture`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

const title = `linear time: ${LINKS.toLocaleString('en')} chained schemas, each with an example, are judged once each`;

test(title, HANG_GUARD, () => {
  const tree = chainTree();
  try {
    const r = cli(['lint', '--root', tree.root, '--format', 'json']);
    assertNoCrash(r.stderr, r.stdout);
    const found = JSON.parse(r.stdout) as Found[];
    const examples = found.filter((d) => d.rule.startsWith('example-'));
    // The finding points at the property of the example that breaks the schema.
    const at = position(link(WRONG), `{n${WRONG}: 7}`);
    const file = `data/api/test/definitions/chain/c${WRONG}.yaml`;
    assert.deepEqual(examples.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`),
      [`${file}:${at.line}:${at.column + 1} example-valid`]);
    assert.match(examples[0]!.message, new RegExp(`at /n${WRONG}: 7 is of type number, but the schema wants string`));
    assert.equal(r.status, 1);
  } finally { tree.cleanup(); }
});
