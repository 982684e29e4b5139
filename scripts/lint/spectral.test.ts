import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSpec } from '../loader/load.js';
import { cli, REPO, tempTree, where } from '../testing/support.js';
import { runSpectral } from './spectral.js';

const FIXTURE = join(REPO, 'scripts', 'lint', 'fixtures', 'spectral');
const API = 'data/api/test/things.yaml';

test('a .spectral.yaml in the spec root adds its rules to the same report', () => {
  const r = cli(['lint', '--root', FIXTURE, '--format', 'json']);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0, 'the house rule is a warning');
  assert.deepEqual(JSON.parse(r.stdout), [{
    file: API, line: 2, column: 1, severity: 'warn', rule: 'spectral:info-has-contact',
    message: 'Every API document names a contact for its editors.', hint: 'at info',
  }]);
});

/** The fixture's API document with the given ruleset beside it, in a temporary tree. */
function withRuleset(ruleset: string, api = readFileSync(join(FIXTURE, API), 'utf8')) {
  return tempTree({ '.spectral.yaml': ruleset, [API]: api });
}

test('a ruleset Spectral refuses is one diagnostic per reason, at the place in the ruleset it names', async () => {
  const ruleset = [
    'rules:',
    '  unknown-alias:',
    '    given: "#Nowhere"',
    '    then:',
    '      function: truthy',
    '  bad-severity:',
    '    given: $.info',
    '    severity: loud',
    '    then:',
    '      function: truthy',
  ].join('\n') + '\n';
  const tree = withRuleset(ruleset);
  try {
    const found = await runSpectral(loadSpec(tree.root), join(tree.root, '.spectral.yaml'));
    assert.deepEqual(where(found), ['.spectral.yaml:3:5 spectral:ruleset', '.spectral.yaml:8:5 spectral:ruleset']);
    assert.match(found[0]!.message, /^The Spectral ruleset could not be loaded: Alias "Nowhere" does not exist/);
    assert.match(found[1]!.message, /^The Spectral ruleset could not be loaded: the value has to be one of/);
  } finally { tree.cleanup(); }
});

/**
 * Spectral runs regexes on V8's backtracking engine: a rule's own `pattern`, and the tree's
 * schema patterns when spectral:oas checks examples. Either can take exponential time; Spectral
 * is then stopped at its time limit (short here) and says so, instead of hanging the linter.
 */
test('Spectral is stopped at its time limit when a regex takes exponential time', { timeout: 180_000 }, async () => {
  const evil = `${'a'.repeat(40)}!`;
  const limit = 8000;
  const api = readFileSync(join(FIXTURE, API), 'utf8');
  const patterned = api.replace('                name:\n                  type: string\n',
    '                name:\n                  type: string\n                  pattern: "^(a+)+$"\n');
  const cases = [
    // The ruleset's regex, run on a title from the tree.
    {
      ruleset: 'rules:\n  title-shape:\n    given: $.info.title\n    then:\n      function: pattern\n'
        + '      functionOptions:\n        match: "^(a+)+$"\n',
      benign: api,
      hostile: api.replace('  title: Fixture API\n', `  title: "${evil}"\n`),
    },
    // The tree's own schema pattern, run by spectral:oas on the tree's example.
    {
      ruleset: 'extends: spectral:oas\n',
      benign: patterned,
      hostile: patterned.replace('              name: lamp\n', `              name: "${evil}"\n`),
    },
  ];
  for (const { ruleset, benign, hostile } of cases) {
    assert.notEqual(hostile, benign, 'the fixture was changed');
    // The same ruleset on a harmless document finishes well within the limit.
    const control = withRuleset(ruleset, benign);
    try {
      const found = await runSpectral(loadSpec(control.root), join(control.root, '.spectral.yaml'), limit);
      assert.ok(!found.some((d) => d.rule === 'spectral:ruleset'), JSON.stringify(found));
    } finally { control.cleanup(); }
    const tree = withRuleset(ruleset, hostile);
    try {
      const found = await runSpectral(loadSpec(tree.root), join(tree.root, '.spectral.yaml'), limit);
      assert.deepEqual(where(found), ['.spectral.yaml:1:1 spectral:ruleset']);
      assert.match(found[0]!.message, /^Spectral did not finish within 8 s and was stopped: /);
    } finally { tree.cleanup(); }
  }
});
