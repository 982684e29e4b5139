import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assembleProse, prepareProse, renderDescription, renderMarkdown, TEXT_DIRECTIVES, type Directive, type DirectiveBlock,
} from './markdown.js';

/** Prose rendered with each directive shown as `[kind:name]`, so tests can see where it went. */
function render(source: string): { html: string; directives: Directive[] } {
  const directives: Directive[] = [];
  const { html } = renderMarkdown(source, (d) => {
    directives.push(d);
    return d.kind === 'container' ? { open: `<aside class="${d.name}">`, close: '</aside>' } : `[${d.kind}:${d.name}]`;
  });
  return { html, directives };
}

/** No markup, handler or script URL from the text survives anywhere in the output. */
function assertInert(html: string): void {
  assert.doesNotMatch(html, /<(?:script|img[^>]*onerror|iframe|style|div data-mx)/i);
  assert.doesNotMatch(html, /\son\w+=/i);
  for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    assert.doesNotMatch(m[1]!.replace(/[\u0000-\u0020]/g, ''), /^(?:javascript|vbscript|data):|^\/\//i, m[1]);
  }
  assert.ok(!html.includes('\u0000'), 'no placeholder is left');
}

test('markdown: CommonMark with GitHub tables, strikethrough and autolinked URLs', () => {
  const { html } = render('A *b* `c`.\n\n| x | y |\n|:--|--:|\n| 1 | ~~2~~ |\n\nSee https://matrix.org/docs now.\n');
  assert.match(html, /<p>A <em>b<\/em> <code>c<\/code>\.<\/p>/);
  assert.match(html, /<table>[\s\S]*<th align="left">x<\/th>[\s\S]*<td align="right"><del>2<\/del><\/td>/);
  assert.match(html, /<a href="https:\/\/matrix\.org\/docs">https:\/\/matrix\.org\/docs<\/a> now\./);
  assert.doesNotMatch(html, /style=/, 'alignment is an attribute: the pages refuse inline styles');
  assert.match(render('- a\n- b\n').html, /<ul>\n<li>a<\/li>\n<li>b<\/li>\n<\/ul>/);
});

test('markdown: a bare domain or a Matrix ID is not linked, only URLs with a scheme and mail addresses', () => {
  const { html } = render('Ask @alice:example.org or example.org, or mail admin@example.org.');
  assert.equal((html.match(/<a /g) ?? []).length, 1);
  assert.match(html, /<a href="mailto:admin@example\.org">admin@example\.org<\/a>/);
});

test('markdown: raw HTML never becomes markup, and its handlers and script URLs are gone', () => {
  const source = 'Text <script>alert(1)</script> <img src="x" onerror="alert(2)">'
    + ' <a href="javascript:alert(3)">x</a>.\n\n'
    + '<div onclick="alert(4)">\nblock <b>text</b>\n</div>\n\n<script>\nalert(5)\n</script>\n\n<!-- a comment -->\n';
  for (const html of [render(source).html, renderDescription(source)]) {
    assertInert(html);
    assert.doesNotMatch(html, /onerror|onclick|javascript:|<b>|<div|<a href|comment/);
    assert.match(html, /Text alert\(1\)/, 'the text between tags is kept');
    assert.match(html, /<p>block text<\/p>/);
  }
});

test('markdown: link and image URLs are kept only for web, mail, site, fragment and relative links', () => {
  const kept = ['https://a.example/x?y#z', 'HTTP://a.example', 'mailto:a@b.example', '/client-server-api/#x',
    '#room-ids',
    'appendices#room-ids', '../x/', 'index.html#y', 'a/b:c'];
  const refused = ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,x', 'vbscript:x',
    '<java\tscript:alert(1)>',
    '//evil.example/x', 'file:///etc/passwd', '<java&#9;script:alert(1)>', 'jav&#x61;script:alert(1)'];
  for (const url of kept) {
    assert.match(render(`[t](${url})`).html, /<a href="[^"]+">t<\/a>/, url);
    assert.match(render(`![t](${url})`).html, /<img src="[^"]+" alt="t">/, url);
  }
  for (const url of refused) {
    for (const html of [render(`[t](${url}) ![i](${url})`).html, renderDescription(`[t](${url})`)]) {
      assertInert(html);
      assert.doesNotMatch(html, /href=|src=/, url);
      assert.match(html, />t</, `${url}: the link text stays`);
    }
  }
  assert.doesNotMatch(render('[r]\n\n[r]: javascript:alert(1)').html, /href=/, 'reference definitions too');
  assert.doesNotMatch(render('<javascript:alert(1)>').html, /href=/, 'and autolinks');
});

test('markdown: every attribute value is escaped', () => {
  const source = '[a](/x"onmouseover="alert(1) "t\\"itle<b>") ![b"<](/y "q\\"><script>")\n\n'
    + '```js" onclick="x\ny\n```\n';
  const { html } = render(source);
  assertInert(html);
  assert.match(html, /href="\/x%22onmouseover=%22alert\(1\)" title="t&quot;itle&lt;b&gt;"/);
  assert.match(html, /alt="b&quot;&lt;" title="q&quot;&gt;&lt;script&gt;"/);
});

test('markdown: fenced code keeps a plain language name as its class, and nothing else', () => {
  const json = /<pre tabindex="0"><code class="language-json">\{&quot;a&quot;: 1\}\n<\/code><\/pre>/;
  assert.match(render('```json\n{"a": 1}\n```').html, json);
  assert.match(render('```c++ more words\nx\n```').html, /<pre tabindex="0"><code>x\n<\/code><\/pre>/);
  assert.match(render('```shell-session\nx\n```').html, /<code class="language-shell-session">/);
  assert.match(render('    <b>indented</b>').html, /<pre tabindex="0"><code>&lt;b&gt;indented&lt;\/b&gt;\n<\/code><\/pre>/);
});

test('markdown: heading ids follow Hugo: anchorize, "heading" when empty, repeats numbered from 1', () => {
  const source = '# Top\n\n## Room `m.room.member` *events*\n\n## !!!\n\n## 🎉\n\n## Top\n\n## Top\n\nSetext\n---\n';
  const page = prepareProse(source);
  assert.deepEqual(page.headings, [
    { depth: 1, id: 'top', text: 'Top' },
    { depth: 2, id: 'room-mroommember-events', text: 'Room m.room.member events' },
    { depth: 2, id: 'heading', text: '!!!' },
    { depth: 2, id: 'heading-1', text: '🎉' },
    { depth: 2, id: 'top-1', text: 'Top' },
    { depth: 2, id: 'top-2', text: 'Top' },
    { depth: 2, id: 'setext', text: 'Setext' },
  ]);
  assert.deepEqual(page.ids, page.headings.map((h) => h.id));
  const { html } = renderMarkdown('## Room `m.room.member` *events*');
  assert.equal(html.trim(), '<h2 id="room-mroommember-events">Room <code>m.room.member</code> <em>events</em></h2>');
});

test('markdown: a hand-written id {#id} is used as written and reserved before other headings are numbered', () => {
  const page = prepareProse('## My id\n\n## Title {#my-id}\n\n## Other {#other.v1:x}\n\n## Again {#my-id}\n');
  assert.deepEqual(page.headings.map((h) => [h.id, h.text]), [
    ['my-id-1', 'My id'], ['my-id', 'Title'], ['other.v1:x', 'Other'], ['my-id-2', 'Again'],
  ]);
  assert.equal(new Set(page.ids).size, page.ids.length, 'a hand-written id used twice is numbered');
  assert.match(renderMarkdown('## Title {#my-id}').html, /<h2 id="my-id">Title<\/h2>/);
  assert.match(renderMarkdown('## Not {#an id}').html, /<h2 id="not-an-id">Not \{#an id\}<\/h2>/);
});

test('markdown: ids the layout or a block uses are renumbered in assembly, and the headings follow', () => {
  const page = prepareProse('## Content\n\n## Main\n\n## mroommember\n\n::event{type=m.room.member}\n');
  const reserved = new Set(['content', 'main', 'mroommember']);
  const out = assembleProse(page, ['<section id="mroommember"></section>'], reserved);
  assert.deepEqual(out.headings.map((h) => h.id), ['content-2', 'main-2', 'mroommember-2']);
  assert.match(out.html, /<h2 id="content-2">Content<\/h2>\n<h2 id="main-2">Main<\/h2>\n<h2 id="mroommember-2">/);
  assert.match(out.html, /<section id="mroommember"><\/section>/);
  const unchanged = 'the prepared page is unchanged';
  assert.deepEqual(page.headings.map((h) => h.id), ['content', 'main', 'mroommember'], unchanged);
});

test('markdown: leaf directives carry their attributes, kind and 1-based place, also in lists and quotes', () => {
  const source = 'Intro.\n::operation{id=knockRoom api="client-server"}\n\n'
    + '- item\n\n  ::event{type=\'m.room.member\' flag}\n\n'
    + '> ::string-formats\n\n   ::include[label]{file=_x.md #anchor .wide .tall}  \n';
  const { html, directives } = render(source);
  assert.deepEqual(directives.map((d) => [d.kind, d.name, { ...d.attributes }, d.line, d.column]), [
    ['leaf', 'operation', { id: 'knockRoom', api: 'client-server' }, 2, 1],
    ['leaf', 'event', { type: 'm.room.member', flag: '' }, 6, 3],
    ['leaf', 'string-formats', {}, 8, 3],
    ['leaf', 'include', { file: '_x.md', id: 'anchor', class: 'wide tall' }, 10, 4],
  ]);
  assert.match(html, /<p>Intro\.<\/p>\n\[leaf:operation\]\n/);
  assert.match(html, /<li>\n<p>item<\/p>\n\[leaf:event\]\n<\/li>/);
  assert.match(html, /<blockquote>\n\[leaf:string-formats\]\n<\/blockquote>/);
  const notDirectives = ['::operation{id=x} trailing', '::operation{id="x}', '    ::operation{id=x}', '::9{}',
    '::a{b=}'];
  for (const text of notDirectives) {
    assert.deepEqual(render(text).directives, [], text);
  }
});

test('markdown: directive attributes are a null-prototype record where __proto__ is an ordinary key', () => {
  const [d] = prepareProse('::operation{__proto__=x constructor=y toString=z}').directives;
  assert.equal(Object.getPrototypeOf(d!.attributes), null);
  assert.deepEqual(Object.keys(d!.attributes), ['__proto__', 'constructor', 'toString']);
  assert.equal(Object.getOwnPropertyDescriptor(d!.attributes, '__proto__')?.value, 'x');
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

test('markdown: placeholders cannot be written by prose', () => {
  const source = '::operation{id=a}\n\nA \u0000b0\u0000 and &#0; and &#x0; <div data-mx-block="x-0"></div>\n';
  const page = prepareProse(source);
  const out = assembleProse(page, ['<section>BLOCK</section>'], new Set());
  assert.equal(out.html.split('BLOCK').length, 2, 'the one directive, once');
  assertInert(out.html);
  assert.match(out.html, /A \uFFFDb0\uFFFD and \uFFFD and \uFFFD/);
});

test('markdown: container directives wrap their rendered content; headings inside count', () => {
  const source = '# Page\n\n:::note{type=warning}\n## Inside\n\nSome *text*.\n:::\n\nAfter.\n\n'
    + '::::outer\n:::inner\ndeep\n:::\n::::\n';
  const page = prepareProse(source);
  assert.deepEqual(page.directives.map((d) => [d.kind, d.name, { ...d.attributes }, d.line, d.column]), [
    ['container', 'note', { type: 'warning' }, 3, 1],
    ['container', 'outer', {}, 11, 1],
    ['container', 'inner', {}, 12, 1],
  ]);
  assert.deepEqual(page.headings.map((h) => h.id), ['page', 'inside']);
  const blocks: DirectiveBlock[] = [{ open: '<aside>', close: '</aside>' }, { open: '<o>', close: '</o>' }, '<i>'];
  const { html } = assembleProse(page, blocks, new Set());
  assert.match(html, /<aside>\n<h2 id="inside">Inside<\/h2>\n<p>Some <em>text<\/em>\.<\/p>\n<\/aside>\n<p>After/);
  assert.match(html, /<o>\n<i>\n<p>deep<\/p>\n\n<\/o>/, 'a string for a container goes before its content');
});

test('markdown: an unclosed container runs to the end of the page or of its list item', () => {
  const { html, directives } = render(':::note\ntext\n\n## Still inside\n');
  assert.equal(directives.length, 1);
  assert.match(html, /^<aside class="note">\n<p>text<\/p>\n<h2 id="still-inside">Still inside<\/h2>\n<\/aside>/);
  const item = render('- :::note\n  inner\n\n  more\n\nout\n').html;
  assert.match(item, /<li>\n<aside class="note">\n<p>inner<\/p>\n<p>more<\/p>\n<\/aside>\n<\/li>\n<\/ul>\n<p>out<\/p>/);
});

test('markdown: text directives are only the known names with braces right after them', () => {
  assert.deepEqual([...TEXT_DIRECTIVES].sort(), ['added-in', 'changed-in']);
  const source = 'Since :added-in{v="1.1"}, changed :changed-in{v=1.2} and :added-in{this="true"}.\n';
  const { html, directives } = render(source);
  assert.equal(html, '<p>Since [text:added-in], changed [text:changed-in] and [text:added-in].</p>\n');
  assert.deepEqual(directives.map((d) => [d.kind, { ...d.attributes }, d.line, d.column]), [
    ['text', { v: '1.1' }, 1, 7], ['text', { v: '1.2' }, 1, 35], ['text', { this: 'true' }, 1, 58],
  ]);
  const plain = 'At 12:30, m.room.member: :smile: :unknown{a=1} :added-in :added-in {v=1} ::added-in{v=1} :x[y]';
  assert.equal(render(plain).html, `<p>${plain}</p>\n`);
  assert.equal(render(plain).directives.length, 0);
});

test('markdown: text directives are placed on their source line in paragraphs, lists, quotes, headings, tables', () => {
  const source = [
    'First line', '  and :added-in{v=1} here', '', '- item :changed-in{v=2}', '', '> quoted', '> again :added-in{v=3}',
    '', '## Title :added-in{v=4} {#t}', '', '| a | b |', '|---|---|', '| x | y :added-in{v=5} |',
  ].join('\n');
  const { directives } = render(source);
  assert.deepEqual(directives.map((d) => [d.attributes.v, d.line, d.column]), [
    ['1', 2, 7], ['2', 4, 8], ['3', 7, 9], ['4', 9, 10], ['5', 13, 9],
  ]);
});

test('markdown: prose is prepared once per text; descriptions are cached and one paragraph unwraps', () => {
  assert.equal(prepareProse('Once.'), prepareProse('Once.'));
  assert.equal(renderDescription('One *paragraph*.', true), 'One <em>paragraph</em>.');
  assert.equal(renderDescription('One *paragraph*.'), '<p>One <em>paragraph</em>.</p>\n');
  assert.equal(renderDescription('Two.\n\nParagraphs.', true), '<p>Two.</p>\n<p>Paragraphs.</p>\n');
  assert.equal(renderDescription('- a list', true), '<ul>\n<li>a list</li>\n</ul>\n');
  assert.equal(renderDescription('   '), '');
  assert.equal(renderDescription(42), '');
  assert.doesNotMatch(renderDescription('## Heading\n\n::operation{id=x}'), /<h2 id|\u0000/, 'no ids, no directives');
});

test('markdown: hostile input finishes and stays inert', () => {
  const line = '[*`:::<script>'.repeat(40_000); // 520,000 characters on one line
  const attrs = Array.from({ length: 10_000 }, (_, i) => `a${i}="<b>${i}</b>"`).join(' ');
  const inputs = [
    line,
    '['.repeat(100_000),
    '!['.repeat(50_000),
    '>'.repeat(10_000) + ' deep <img src=x onerror=alert(1)>',
    Array.from({ length: 10_000 }, (_, i) => '>'.repeat(i % 200)).join('\n'),
    ':::note\n'.repeat(5_000) + 'never closed <script>',
    `::operation{${attrs}}`,
    `::operation{${attrs}`,
    ':added-in{v="1" '.repeat(30_000),
    '- '.repeat(10_000) + '[x](javascript:alert(1))',
  ];
  for (const source of inputs) {
    const page = prepareProse(source);
    const blocks = page.directives.map((d) => (d.kind === 'container' ? { open: '', close: '' } : ''));
    assertInert(assembleProse(page, blocks, new Set()).html);
  }
  assertInert(renderDescription(line));
  const [d] = prepareProse(`::operation{${attrs}}`).directives;
  assert.equal(Object.keys(d!.attributes).length, 10_000);
  assert.equal(d!.attributes.a7, '<b>7</b>', 'attributes are data; whoever places them escapes them');
});
