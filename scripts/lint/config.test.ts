import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertNoCrash } from '../testing/hostile.js';
import { cli, tempTree } from '../testing/support.js';
import { loadConfig, ruleSetting } from './config.js';
import { RULES } from './rules/index.js';

const KNOWN = new Set(RULES.map((r) => r.id));
const rule = (id: string) => RULES.find((r) => r.id === id)!;

/** A document with one house-style lapse (no title on an object) and nothing else wrong. */
const untitled = `openapi: 3.1.0
info:
  title: T
  version: "1"
paths:
  /a:
    get:
      operationId: getA
      summary: Gets A.
      description: Returns A.
      tags: [A]
      responses:
        "200":
          description: Fine.
          content:
            application/json:
              schema:
                type: object
                properties:
                  a:
                    type: string
`;

/** Lints a tree through the CLI; the rules that reported and their severities. */
function reported(files: Record<string, string>): { status: number | null; rules: string[]; stderr: string } {
  const { root, cleanup } = tempTree(files);
  try {
    const r = cli(['lint', '--root', root, '--format', 'json']);
    const found = r.status === 2 ? [] : JSON.parse(r.stdout) as { rule: string; severity: string }[];
    return { status: r.status, rules: [...new Set(found.map((d) => `${d.rule} ${d.severity}`))], stderr: r.stderr };
  } finally { cleanup(); }
}

test('config: without a configuration only recommended rules run; extends: strict adds house style', () => {
  const doc = { 'data/api/t/doc.yaml': untitled };
  assert.deepEqual(reported(doc).rules, []);
  assert.deepEqual(reported({ ...doc, '.mxspec.yaml': 'extends: strict\n' }).rules, ['object-title error']);
  assert.deepEqual(reported({ ...doc, '.mxspec.yaml': 'extends: recommended\n' }).rules, []);
});

test('config: naming a strict rule under rules: runs it alone; off silences a recommended one', () => {
  const doc = { 'data/api/t/doc.yaml': untitled };
  assert.deepEqual(reported({ ...doc, '.mxspec.yaml': 'rules:\n  object-title: warn\n' }).rules, ['object-title warn']);
  const broken = { 'data/api/t/doc.yaml': untitled.replace('getA', 'getA\n      security: [{nobody: []}]') };
  assert.deepEqual(reported(broken).rules, ['security-defined error']);
  assert.deepEqual(reported({ ...broken, '.mxspec.yaml': 'rules:\n  security-defined: off\n' }).rules, []);
});

test('config: --rule runs the rule it names whatever its preset', () => {
  const { root, cleanup } = tempTree({ 'data/api/t/doc.yaml': untitled });
  try {
    const r = cli(['lint', '--root', root, '--rule', 'object-title', '--format', 'json']);
    assert.equal(r.status, 1);
    assert.deepEqual(JSON.parse(r.stdout).map((d: { rule: string }) => d.rule), ['object-title']);
  } finally { cleanup(); }
});

test('config: ruleSetting follows rules:, then the preset, then a rule named on its own', () => {
  const recommended = loadConfig('/nonexistent-root', undefined, KNOWN);
  assert.equal(ruleSetting(recommended, rule('object-title')), 'off');
  assert.equal(ruleSetting(recommended, rule('object-title'), true), 'error');
  assert.equal(ruleSetting(recommended, rule('example-undeclared-property')), 'warn');
  const off = { rules: Object.assign(Object.create(null), { 'example-valid': 'off' }), extends: 'strict' as const };
  assert.equal(ruleSetting(off, rule('example-valid'), true), 'off', 'an entry under rules: wins over --rule');
});

test('config: an unknown preset, a rule named __proto__ or constructor, or a bad key is exit 2 in one line', () => {
  const cases: [string, RegExp][] = [
    ['extends: lenient\n', /extends must be recommended or strict, not "lenient"/],
    ['extends: [strict]\n', /extends must be recommended or strict/],
    ['rules:\n  __proto__: error\n', /unknown rule "__proto__"/],
    ['rules:\n  constructor: off\n', /unknown rule "constructor"/],
    ['rules:\n  hasOwnProperty: warn\n', /unknown rule "hasOwnProperty"/],
    ['__proto__:\n  polluted: true\n', /unknown setting "__proto__"/],
    ['rules:\n  object-title: loud\n', /severity must be error, warn, info or off/],
    ['rules: [object-title]\n', /"rules" must map rule ids to severities/],
    ['matrixVersion: 1.2\n', /matrixVersion must be a quoted version/],
    ['extends: strict\n  bad: [indent\n', /not valid YAML/],
  ];
  for (const [config, message] of cases) {
    const r = reported({ 'data/api/t/doc.yaml': untitled, '.mxspec.yaml': config });
    assert.equal(r.status, 2, config);
    assert.match(r.stderr, message, config);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assertNoCrash(r.stderr);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
});

test('config: a .mxspec.yaml that leads out of the tree, loops, or is a FIFO is refused, never followed', () => {
  const { root, cleanup } = tempTree({ 'data/api/t/doc.yaml': untitled });
  try {
    const config = join(root, '.mxspec.yaml');
    const cases: [() => void, RegExp][] = [
      [() => symlinkSync('/etc/passwd', config), /outside the spec tree/],
      [() => symlinkSync('.mxspec.yaml', config), /leads nowhere \(it loops\)/],
      [() => execFileSync('mkfifo', [config]), /not a regular file/],
    ];
    for (const [make, message] of cases) {
      execFileSync('rm', ['-f', config]);
      make();
      const r = cli(['lint', '--root', root]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  } finally { cleanup(); }
});

test('config: --config FILE that is a folder or missing is exit 2 in one line', () => {
  const { root, cleanup } = tempTree({ 'data/api/t/doc.yaml': untitled, 'conf/x': '' });
  try {
    for (const path of [join(root, 'conf'), join(root, 'missing.yaml')]) {
      const r = cli(['lint', '--root', root, '--config', path]);
      assert.equal(r.status, 2, path);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    writeFileSync(join(root, 'ok.yaml'), 'extends: strict\n');
    assert.equal(cli(['lint', '--root', root, '--config', join(root, 'ok.yaml')]).status, 1);
  } finally { cleanup(); }
});
