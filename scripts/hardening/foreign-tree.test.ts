import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../lint/rules/index.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { lintJson } from '../testing/hostile.js';
import { REPO, sharedSkip, V12, V19 } from '../testing/support.js';

/**
 * Linting someone else's tree, as a user would: the CLI, no configuration. Only rules that find
 * defects run, and what the published spec does on purpose is not reported as a defect.
 */

const STRICT = new Set(RULES.filter((r) => r.preset === 'strict').map((r) => r.id));
const FIXTURE = join(REPO, 'scripts', 'hardening', 'fixtures', 'foreign-tree');


/**
 * The text at a 1-based line and column of a file of the tree: each place asserted below is
 * checked to still hold what it held when the false positive was found there.
 */
function textAt(root: string, file: string, line: number, column: number): string {
  return readFileSync(join(root, file), 'utf8').split('\n')[line - 1]!.slice(column - 1);
}

function placesOf(found: Diagnostic[], rule: string): Set<string> {
  return new Set(found.filter((d) => d.rule === rule).map((d) => `${d.file}:${d.line}:${d.column}`));
}

/** Where a false positive used to be reported: a place, and the start of the text there. */
type Place = [file: string, line: number, column: number, text: string];

function assertGone(root: string, found: Diagnostic[], rule: string, places: Place[]): void {
  const reported = placesOf(found, rule);
  for (const [file, line, column, text] of places) {
    assert.ok(textAt(root, file, line, column).startsWith(text), `${file}:${line}:${column} still holds ${text}`);
    assert.ok(!reported.has(`${file}:${line}:${column}`), `${rule} no longer reports ${file}:${line}:${column}`);
  }
}

const SS = 'data/api/server-server';

/**
 * The PDU examples of room versions 3, 4 and 11: their schemas replace the base's list of
 * [event ID, hash] pairs with a list of event IDs through allOf, which the Matrix spec reads as
 * inheritance. Judged against the base's branch alone, each ID was "not an array".
 */
const PDU_ITEMS_V19: Place[] = [
  [`${SS}/examples/pdu_v3.json`, 12, 9, '"$base64encodedeventid"'],
  [`${SS}/examples/pdu_v3.json`, 16, 9, '"$base64encodedeventid"'],
  [`${SS}/examples/pdu_v4.json`, 4, 9, '"$urlsafe_base64_encoded_eventid"'],
  [`${SS}/examples/pdu_v4.json`, 8, 9, '"$urlsafe_base64_encoded_eventid"'],
  [`${SS}/examples/pdu_v11.json`, 12, 9, '"$urlsafe_base64_encoded_eventid"'],
  [`${SS}/examples/pdu_v11.json`, 16, 9, '"$urlsafe_base64_encoded_eventid"'],
];

const V19_TITLE = 'foreign tree v1.9 (OpenAPI 3.1), no configuration: no house style, none of the false positives';
test(V19_TITLE, { skip: sharedSkip }, () => {
  const { status, found } = lintJson(V19);
  assert.equal(status, 1, 'the published spec has real defects');
  assert.deepEqual(found.filter((d) => STRICT.has(d.rule)).map((d) => d.rule), [], 'no strict rule reports');

  assertGone(V19, found, 'example-valid', [
    ...PDU_ITEMS_V19,
    // The example of a base that requires event_id, which only a schema composing it defines.
    [`${SS}/definitions/unsigned_pdu_base.yaml`, 18, 3, '$ref: "../examples/unsigned_pdu_base.json"'],
    [`${SS}/definitions/pdu_v3.yaml`, 18, 3, '$ref: "../examples/pdu_v3.json"'],
  ]);
  // unsigned_pdu_base.yaml requires event_id, defined by unsigned_pdu.yaml, which composes it.
  assertGone(V19, found, 'required-properties-defined', [
    [`${SS}/definitions/unsigned_pdu_base.yaml`, 122, 5, 'event_id'],
  ]);

  // The examples written on one branch of an allOf (user_devices.yaml's cross-signing keys) are
  // judged against the whole composition, and hold nothing it does not declare.
  const branchExamples = found.filter((d) => d.file === `${SS}/user_devices.yaml` && d.rule.startsWith('example-'));
  assert.deepEqual(branchExamples, []);

  // The new rule runs on a foreign tree, as a warning: the preview_url example shows OpenGraph
  // keys that its schema does not declare.
  const undeclared = found.filter((d) => d.rule === 'example-undeclared-property');
  assert.ok(undeclared.length > 0);
  assert.ok(undeclared.every((d) => d.severity === 'warn'));
  const ogTitle = undeclared.find((d) => d.message.includes('property "og:title"'))!;
  assert.ok(ogTitle, 'og:title in the preview_url example is reported');
  assert.ok(textAt(V19, ogTitle.file, ogTitle.line, ogTitle.column).startsWith('"og:title"'));
});

const V12_TITLE = 'foreign tree v1.2 (Swagger 2.0), no configuration: no house style, none of the false positives';
test(V12_TITLE, { skip: sharedSkip }, () => {
  const { found } = lintJson(V12);
  assert.deepEqual(found.filter((d) => STRICT.has(d.rule)).map((d) => d.rule), [], 'no strict rule reports');
  assertGone(V12, found, 'example-valid', [
    [`${SS}/examples/pdu_v3.json`, 12, 9, '"$base64encodedeventid"'],
    [`${SS}/examples/pdu_v4.json`, 4, 9, '"$urlsafe_base64_encoded_eventid"'],
    [`${SS}/definitions/unsigned_pdu_base.yaml`, 18, 3, '$ref: "../examples/unsigned_pdu_base.json"'],
    // Swagger 2.0 x-examples are the text of a query string: "3" for an integer limit.
    ['data/api/client-server/message_pagination.yaml', 86, 22, '"3"'],
  ]);
  assertGone(V12, found, 'required-properties-defined', [
    [`${SS}/definitions/unsigned_pdu_base.yaml`, 128, 5, 'event_id'],
  ]);
  assert.ok(found.some((d) => d.rule === 'example-undeclared-property'), 'the new rule runs on Swagger 2.0 too');
});

/** A copy of the committed fixture with a configuration file of its own. */
function withConfig(config: string): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'mxspec-foreign-'));
  cpSync(FIXTURE, root, { recursive: true });
  writeFileSync(join(root, '.mxspec.yaml'), config);
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

const rulesOf = (found: Diagnostic[]) => found.map((d) => `${d.rule} ${d.severity}`).sort();

test('foreign fixture: without a configuration only its one defect is reported', () => {
  assert.ok(!existsSync(join(FIXTURE, '.mxspec.yaml')), 'the committed fixture has no configuration');
  const { status, found } = lintJson(FIXTURE);
  assert.equal(status, 1);
  assert.deepEqual(found.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`), [
    'data/api/client-server/rooms.yaml:52:11 security-defined',
  ]);
});

test('foreign fixture: with extends: strict every house-style lapse is reported too, one per strict rule', () => {
  const tree = withConfig('extends: strict\n');
  try {
    const { status, found } = lintJson(tree.root);
    assert.equal(status, 1);
    const strictFound = found.filter((d) => STRICT.has(d.rule)).map((d) => d.rule).sort();
    assert.deepEqual(strictFound, [...STRICT].sort(), 'each strict rule reports its one lapse');
    assert.deepEqual(found.filter((d) => !STRICT.has(d.rule)).map((d) => d.rule), ['security-defined']);
  } finally { tree.cleanup(); }
});

test('foreign fixture: rules: {object-title: warn} runs that strict rule alone, at warn', () => {
  const tree = withConfig('rules:\n  object-title: warn\n');
  try {
    const { status, found } = lintJson(tree.root);
    assert.equal(status, 1, 'the defect is still an error');
    assert.deepEqual(rulesOf(found), ['object-title warn', 'security-defined error']);
    const title = found.find((d) => d.rule === 'object-title')!;
    assert.equal(`${title.file}:${title.line}:${title.column}`, 'data/api/client-server/rooms.yaml:37:17');
  } finally { tree.cleanup(); }
});
