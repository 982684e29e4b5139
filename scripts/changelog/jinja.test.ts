import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../testing/support.js';
import { compileJinja, pyDict, TemplateError } from './jinja.js';
import { pyFormat, textwrapFill } from './python.js';

/**
 * Jinja on nunjucks: the same output as Jinja2 itself (the Python package towncrier renders with),
 * compared template by template when Python's jinja2 is installed, and a sandbox for templates
 * that come from the tree.
 */

const jinjaSkip = spawnSync('python3', ['-c', 'import jinja2'], { encoding: 'utf8' }).status === 0
  ? false
  : 'Python\'s jinja2 is not installed (it comes with towncrier: apt-get install towncrier), '
    + 'so there is nothing to compare with';

const TOWNCRIER_DEFAULT = '/usr/lib/python3/dist-packages/towncrier/templates/default.rst';

/** A value for both sides: `{ dict: [[k, v], …] }` is an ordered dict. */
type Value = string | number | boolean | null | Value[] | { dict: [string, Value][] };
type Context = Record<string, Value>;

const D = (...pairs: [string, Value][]): Value => ({ dict: pairs });

function toJs(v: Value): unknown {
  if (Array.isArray(v)) return v.map(toJs);
  if (v !== null && typeof v === 'object') return pyDict(v.dict.map(([k, x]) => [k, toJs(x)]));
  return v;
}

const getIndent = (t: string) => (t.startsWith('- ') || t.startsWith('* ') ? '  ' : t.startsWith('#. ') ? '   ' : '');

/** Renders each case with Python's Jinja2, as towncrier does (trim_blocks, get_indent given). */
const PYTHON = `
import json, sys
from jinja2 import Template
def conv(v):
    if isinstance(v, dict): return {k: conv(x) for k, x in v['dict']}
    if isinstance(v, list): return [conv(x) for x in v]
    return v
def get_indent(t):
    return "  " if t[:2] in ("- ", "* ") else "   " if t[:3] == "#. " else ""
out = []
for source, ctx in json.load(sys.stdin):
    try:
        values = {k: conv(v) for k, v in ctx.items()}
        out.append(Template(source, trim_blocks=True).render(get_indent=get_indent, **values))
    except Exception as e:
        out.append({"error": type(e).__name__})
print(json.dumps(out))
`;

function withJinja2(cases: [string, Context][]): (string | { error: string })[] {
  const r = spawnSync('python3', ['-c', PYTHON], { input: JSON.stringify(cases), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as (string | { error: string })[];
}

function withMxspec(source: string, ctx: Context): string | { error: string } {
  try {
    const values = Object.fromEntries(Object.entries(ctx).map(([k, v]) => [k, toJs(v)]));
    return compileJinja(source, 'case').render({ get_indent: getIndent, ...values });
  } catch (err) {
    if (err instanceof TemplateError) return { error: 'TemplateError' };
    throw err;
  }
}

type Render = (source: string, ctx: Context) => string | { error: string };

function compare(cases: [string, Context][], mine: Render = withMxspec): void {
  const expected = withJinja2(cases);
  cases.forEach(([source, ctx], i) => {
    const got = mine(source, ctx);
    if (typeof expected[i] === 'string') assert.equal(got, expected[i], `template ${JSON.stringify(source)}`);
    else assert.equal(typeof got, 'object', `Jinja2 fails on ${JSON.stringify(source)}; so must mxspec`);
  });
}

const SMALL: [string, Context][] = [
  ['{% if d %}yes{% else %}no{% endif %}|{% if l %}yes{% else %}no{% endif %}', { d: D(), l: [] }],
  ['{{ "ab" * 3 }}|{{ 2 * "x" }}|{{ [1] + [2] }}|{{ "x" ~ 1 ~ none }}', {}],
  ['{{ None }} {{ True }} {{ false }} {{ not_defined }}|{{ d }}|{{ l }}', {
    d: D(['a', 'x'], ['b', [1, 'y']]), l: ["it's", 'b'],
  }],
  ['{# a comment #}\nA\n{#- trimmed -#}\n  B{# inline #}C\n', {}],
  ['{% for k in d %}{{ k }},{% endfor %}|{% for k, v in d.items() if v > 1 %}{{ k }}={{ v }};'
    + '{{ loop.index }}/{{ loop.length }} {% else %}none{% endfor %}', { d: D(['2', 1], ['1', 2], ['b', 3]) }],
  ['{% for x in l if x > 5 %}{{ x }}{% else %}nothing kept{% endfor %}', { l: [1, 2] }],
  ['{{ "a: b: c".split(": ", 1)[0] }}|{{ " x ".strip() }}|{{ "a b  c".split() }}|{{ "Ab".upper() }}{{ "Ab".lower() }}',
    {}],
  ['{{ x|length }} {{ d|length }} {% for c in x %}{{ c }}.{% endfor %}', { x: 'é🎉b', d: D(['a', 1]) }],
  ['{% if a and b %}1{% endif %}{{ a or "z" }}{{ b and "y" }}{{ not d }}{{ not l }}', {
    a: '', b: 'q', d: D(), l: [1],
  }],
  ['{% set u = "=" %}{% if true %}{% set u = "-" %}{% endif %}{{ u }}', {}],
  ['line1\n{% if true %}\nline2\n{% endif %}\nline3\n  {% if true %}\n  x\n  {% endif %}\n', {}],
  ['{%- if true -%}\n  x  \n{%- endif -%}\n|A {%+ if true +%}\nB{% endif %}\n', {}],
  ['a\r\nb\r\n{% if true %}\r\nc\r\n{% endif %}\r\n', {}],
  ['{% raw %}{# kept #}{{ x }}{% endraw %}', {}],
  ['{% if "feature" in d %}in{% endif %}{% if "nope" not in d %}out{% endif %} {{ d.feature }} {{ d["misc"] }}', {
    d: D(['feature', 'F'], ['misc', false]),
  }],
  ['{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m(1) }}{{ m("b") }}|{{ range(3)|list }}|{{ "a-b-c".replace("-", "+") }}',
    {}],
  ['{% for i in range(2) %}{% for j in range(2) %}{{ loop.first }}{{ loop.last }}{% endfor %}{% endfor %}', {}],
  ['{{ get_indent("- a") }}|{{ get_indent("#. b") }}|{{ l|first }} {{ l|last }} {{ l|join }}', { l: ['a', 'b'] }],
  ['{{ 7 // 2 }} {{ 7 % 3 }} {{ 2 ** 3 }} {{ 1 - 2 }} {{ "hello world".title() }}', {}],
  ['{{ undefined_thing * 3 }}', {}],
];

test('Jinja on nunjucks: the output of small templates is Jinja2\'s, byte for byte '
  + '(Python truth, str * n, loop filters, comments, whitespace)', { skip: jinjaSkip }, () => {
  compare(SMALL);
});

/** The template contexts towncrier gives, varied: sections named or not, empty ones, hidden content, odd underlines. */
function towncrierContexts(): Context[] {
  const def = (name: string, show: boolean) => D(['name', name], ['showcontent', show]);
  const definitions = [
    D(['feature', def('Features', true)], ['bugfix', def('Bugfixes', true)], ['misc', def('Misc', false)]),
    D(['misc', def('Misc', false)], ['feature', def('Fëatures 🎉', true)]),
  ];
  const sections = [
    D(['', D(
      ['feature', D(['Add a lamp.', ['#1', '#3']], ['An orphan.', []], ['Two\n  lines.', ['#9']])],
      ['misc', D(['', ['#5', '#6']])],
    )]),
    D(
      ['Client-Server API', D(['bugfix', D(['Fix it.', ['#2']])])], ['Empty', D()],
      ['Ünïcødé 🎉', D(['feature', D(['x', []])], ['misc', D(['', []])])],
    ),
    D(['', D()]), D(), D(['A', D(['feature', D()])]),
  ];
  const versions = [
    D(['name', 'Lamp'], ['version', '1.0'], ['date', '2024-01-02']),
    D(['name', ''], ['version', 'v2'], ['date', 'today']),
  ];
  const marks: [string[], string][] = [[['-', '~'], '='], [['**', '+'], '##'], [['', ''], ''], [['-'], '=']];
  const out: Context[] = [];
  for (const defs of definitions) for (const s of sections) for (const v of versions) {
    for (const title of [true, false]) for (const [underlines, top] of marks) {
      out.push({ render_title: title, sections: s, definitions: defs, underlines, versiondata: v, top_underline: top });
    }
  }
  return out;
}

const defaultSkip = jinjaSkip || (!existsSync(TOWNCRIER_DEFAULT) && 'towncrier\'s default.rst is not installed here');

test('our template for towncrier\'s default notes renders what towncrier\'s own default.rst renders, '
  + 'in every shape of context', { skip: defaultSkip }, () => {
  const theirs = readFileSync(TOWNCRIER_DEFAULT, 'utf8');
  const ours = readFileSync(join(REPO, 'templates', 'changelog', 'towncrier-default.rst.jinja'), 'utf8');
  assert.notEqual(ours, theirs);
  const contexts = towncrierContexts();
  compare(contexts.map((ctx) => [theirs, ctx]), (_source, ctx) => withMxspec(ours, ctx));
});

test('templates from the tree cannot reach JavaScript, read files, loop forever or exhaust memory', () => {
  const refused = [
    '{{ "".constructor.constructor("return process")() }}',
    '{{ constructor }}', '{{ x.__proto__ }}', '{% set toString = 1 %}', '{{ l|select("__defineGetter__") }}',
    '{% include "/etc/passwd" %}', '{% import "x" as y %}', '{% extends "base" %}',
    '{{ "aaaa"|replace(r/(a+)+$/, "") }}',
    '{{ range(1000000000)|length }}',
    '{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}',
    '{% set s = "xy" %}{% for i in range(40) %}{% set s = s ~ s %}{% endfor %}{{ s|length }}',
    '{{ "x" * 100000000 }}',
    '{% for i in range(10) %}{{ i',
  ];
  for (const source of refused) {
    assert.throws(() => compileJinja(source, 'hostile').render({ l: [1], x: pyDict([]) }), TemplateError, source);
  }
  // What is not refused reads nothing but the data.
  const harmless = compileJinja('[{{ f.call }}{{ f.name }}{{ "abc"["length"] }}{{ l.length }}{{ loop }}]', 't');
  assert.equal(harmless.render({ f: () => 'x', l: [1] }), '[]');
});

test('str.format as towncrier\'s settings use it: named fields and doubled braces; '
  + 'anything else is refused, not guessed', () => {
  const values = { name: 'Lamp', version: '1.0', project_date: 'today' };
  assert.equal(pyFormat('{name} {version} ({project_date}) {{x}}', values), 'Lamp 1.0 (today) {x}');
  for (const bad of ['{}', '{0}', '{version!r}', '{version:>9}', '{nope}', '{', 'a}b']) {
    assert.throws(() => pyFormat(bad, { version: '1' }), bad);
  }
});

test('textwrap.fill as towncrier calls it for wrap = true gives Python\'s lines', { skip: jinjaSkip }, () => {
  const lines: [string, number, string][] = [
    ['- one two three', 9, '  '], ['- https://example.org/a/very/long/address is long', 20, '  '], ['a\tb\tc', 79, ''],
    ['   ', 79, ''], ['', 79, ''], ['#. first  second   third\u00a0fourth', 12, '   '], ['word\u3000word  ', 6, ''],
    ['- Dim the lamp slowly at dusk, and brighten it again at dawn, unless someone switched it off by hand.', 79, '  '],
  ];
  const script = 'import json, sys, textwrap\n'
    + 'fill = lambda t, w, i: textwrap.fill(t, width=w, subsequent_indent=i,\n'
    + '                                     break_long_words=False, break_on_hyphens=False)\n'
    + 'print(json.dumps([fill(*line) for line in json.load(sys.stdin)]))';
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(lines), encoding: 'utf8' });
  const expected = JSON.parse(r.stdout) as string[];
  lines.forEach(([text, width, indent], i) => {
    assert.equal(textwrapFill(text, width, indent), expected[i], JSON.stringify(text));
  });
});
