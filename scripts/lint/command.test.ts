import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertNoCrash } from '../testing/hostile.js';
import { cli, REPO, ruleFixture, tempTree } from '../testing/support.js';

const failing = ruleFixture('example-valid', 'fail');

test('lint --format json: an array of {file, line, column, severity, rule, message}, files relative to --root', () => {
  const r = cli(['lint', '--root', failing, '--rule', 'example-valid', '--format', 'json']);
  assert.equal(r.status, 1);
  assert.equal(r.stderr, '');
  const found = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.ok(found.length >= 6);
  for (const d of found) {
    for (const key of ['file', 'line', 'column', 'severity', 'rule', 'message']) assert.ok(key in d, `${key} in ${JSON.stringify(d)}`);
    assert.ok(!String(d.file).startsWith('/'), 'file is relative');
  }
  const owner = found.find((d) => String(d.message).includes('mx-user-id'))!;
  assert.deepEqual([owner.file, owner.line, owner.column, owner.rule], ['data/api/test/things.yaml', 27, 28, 'example-valid']);
  assert.deepEqual(owner.related, [{ file: 'data/api/test/things.yaml', line: 25, column: 19, label: 'schema' }]);
});

test('lint (human output): grouped by file, with the offending line, a caret, the rule and a summary', () => {
  const r = cli(['lint', '--root', failing, '--rule', 'example-valid']);
  assert.equal(r.status, 1);
  const lines = r.stdout.split('\n');
  const header = lines.indexOf('data/api/test/things.yaml');
  assert.ok(header >= 0, 'file heading');
  assert.ok(lines.some((l) => l.includes('data/api/test/things.yaml:15:20') && l.includes('error') && l.endsWith('example-valid')));
  assert.ok(lines.some((l) => /^ {4}> 15 \| {11}example: seven$/.test(l)), 'source line shown');
  assert.ok(lines.some((l) => /^ +\| +\^$/.test(l)), 'caret shown');
  assert.match(r.stdout, /✖ 8 errors, 0 warnings/);
  assert.ok(!r.stdout.includes('\u001b['), 'no colour when not a terminal');
});

test('lint: a finding inside a referenced file says where it is referenced from', () => {
  const r = cli(['lint', '--root', ruleFixture('object-title', 'fail'), '--rule', 'object-title', '--format', 'json']);
  const found = JSON.parse(r.stdout) as { file: string; via?: unknown[] }[];
  const shared = found.find((d) => d.file === 'data/api/test/definitions/shared.yaml')!;
  assert.deepEqual(shared.via, [{ file: 'data/api/test/things.yaml', line: 27, column: 21 }]);
  assert.match(cli(['lint', '--root', ruleFixture('object-title', 'fail'), '--rule', 'object-title']).stdout, /referenced from: data\/api\/test\/things\.yaml:27:21/);
});

test('lint --format sarif: a SARIF 2.1.0 log with rules, results and related locations', () => {
  const r = cli(['lint', '--root', ruleFixture('object-title', 'fail'), '--rule', 'object-title', '--format', 'sarif']);
  assert.equal(r.status, 1);
  const log = JSON.parse(r.stdout);
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'mxspec');
  assert.ok(run.tool.driver.rules.some((x: { id: string }) => x.id === 'object-title'));
  assert.equal(run.results.length, 3);
  const result = run.results.find((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation.uri.endsWith('shared.yaml'));
  assert.equal(result.ruleId, 'object-title');
  assert.equal(result.level, 'error');
  assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 2, startColumn: 1 });
  assert.equal(result.relatedLocations[0].physicalLocation.region.startLine, 27);
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'object-title');
});

test('lint --format github: one workflow annotation per finding', () => {
  const r = cli(['lint', '--root', ruleFixture('operation-id-casing', 'fail'), '--rule', 'operation-id-casing', '--format', 'github']);
  assert.equal(r.status, 1);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    '::error file=data/api/test/other.yaml,line=18,col=7,title=operation-id-casing::operationId "PostThing" is not lowerCamelCase.%0ARename it to "postThing".',
    '::error file=data/api/test/things.yaml,line=18,col=7,title=operation-id-casing::operationId "post_thing" is not lowerCamelCase.%0ARename it to "postThing".',
  ]);
});

test('lint: exit 0 and a clean summary when nothing is wrong', () => {
  const r = cli(['lint', '--root', ruleFixture('operation-docs', 'pass')]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /no problems/);
});

test('lint: severities come from .mxspec.yaml; warnings alone exit 0, --max-warnings can fail them', () => {
  const { root, cleanup } = tempTree({
    '.mxspec.yaml': 'rules:\n  operation-docs: warn\n  yaml-duplicate-key: off\n',
    'data/api/test/doc.yaml': 'openapi: 3.1.0\ninfo:\n  title: T\n  version: "1"\n  title: Again\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        "200":\n          description: Fine.\n',
  });
  try {
    const r = cli(['lint', '--root', root, '--format', 'json']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const found = JSON.parse(r.stdout) as { rule: string; severity: string }[];
    assert.deepEqual([...new Set(found.map((d) => `${d.rule} ${d.severity}`))], ['operation-docs warn']);
    assert.equal(cli(['lint', '--root', root, '--max-warnings', '0']).status, 1);
  } finally { cleanup(); }
});

test('lint: a bad configuration or usage is one line on stderr and exit 2, never a stack trace', () => {
  const { root, cleanup } = tempTree({ '.mxspec.yaml': 'rules:\n  no-such-rule: error\n', 'data/string-formats.yaml': '{}\n' });
  try {
    for (const args of [['lint', '--root', root], ['lint', '--format', 'xml'], ['lint', '--bogus'], ['frobnicate'], ['lint', '--root', join(root, 'nowhere')]]) {
      const r = cli(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^mxspec: /);
      assertNoCrash(r.stderr);
    }
  } finally { cleanup(); }
});

test('--help: the CLI and the lint command describe themselves', () => {
  const main = cli(['--help']);
  assert.equal(main.status, 0);
  assert.match(main.stdout, /lint/);
  assert.match(main.stdout, /--root DIR/);
  const lint = cli(['lint', '--help']);
  assert.equal(lint.status, 0);
  for (const flag of ['--root', '--format', '--config', '--rule', '--max-warnings', '--list-rules']) assert.ok(lint.stdout.includes(flag), flag);
  assert.match(lint.stdout, /extends: strict/);
  const list = cli(['lint', '--list-rules']);
  assert.match(list.stdout, /^changelog-fragment +recommended +error +\S/m);
  assert.match(list.stdout, /^object-title +strict +error +\S/m);
  assert.match(list.stdout, /^example-undeclared-property +recommended +warn +\S/m);
});

test('lint on our own data/ reports no errors', () => {
  const r = cli(['lint', '--root', REPO, '--format', 'json']);
  assert.equal(r.status, 0, r.stdout);
  assert.deepEqual(JSON.parse(r.stdout), []);
});
