import MarkdownIt, { type Options } from 'markdown-it';
import type Renderer from 'markdown-it/lib/renderer.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import { escapeHtml, unescapeAll } from 'markdown-it/lib/common/utils.mjs';
import { linearParseLinkLabel } from './link-label.js';
import { isSafeLinkUrl } from './urls.js';

/**
 * The markdown-it set-up shared by prose and descriptions: CommonMark with GitHub's tables,
 * strikethrough and `https://` autolinks. The output is safe by construction: raw HTML is
 * dropped (its text kept), every text and attribute is escaped by the renderer, and a URL that
 * is not a web, mail, site or relative link loses its `href` or `src`.
 */

/** Where `end` ends after `from`; -1 when it never does. */
function endOf(html: string, end: string, from: number): number {
  const at = html.indexOf(end, from);
  return at === -1 ? -1 : at + end.length;
}

/** The text between the tags of a raw HTML block; an unclosed tag swallows the rest. */
function textBetweenTags(html: string): string {
  let out = '';
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) return out + html.slice(i);
    out += html.slice(i, lt);
    const next = html.startsWith('<!--', lt) ? endOf(html, '-->', lt + 4) : endOf(html, '>', lt + 1);
    if (next === -1) return out;
    i = next;
  }
  return out;
}

/** Removes a link's or image's URL unless it is one a page may carry; the text stays. */
function keepSafeUrl(token: Token, name: string): void {
  const url = token.attrGet(name);
  if (url === null || (url !== '' && isSafeLinkUrl(url))) return;
  token.attrs = (token.attrs ?? []).filter(([key]) => key !== name);
}

/** The first word of a fence's info string, as a class only when it is a plain language name. */
function fence(tokens: Token[], idx: number): string {
  const token = tokens[idx]!;
  const info = unescapeAll(token.info).trim();
  const space = info.search(/\s/);
  const lang = space === -1 ? info : info.slice(0, space);
  const cls = /^[\w-]+$/.test(lang) ? ` class="language-${lang}"` : '';
  // A block that scrolls sideways must be reachable by keyboard to be read there.
  return `<pre tabindex="0"><code${cls}>${escapeHtml(token.content)}</code></pre>\n`;
}

/** Indented code, like fenced code: reachable by keyboard when it scrolls. */
function codeBlock(tokens: Token[], idx: number): string {
  return `<pre tabindex="0"><code>${escapeHtml(tokens[idx]!.content)}</code></pre>\n`;
}

/** Column alignment as an attribute: the pages' Content-Security-Policy refuses inline styles. */
function alignedCell(tokens: Token[], idx: number, options: Options, _env: unknown, self: Renderer): string {
  const token = tokens[idx]!;
  const style = token.attrGet('style');
  if (style?.startsWith('text-align:')) {
    token.attrs = (token.attrs ?? []).filter(([key]) => key !== 'style');
    token.attrSet('align', style.slice('text-align:'.length));
  }
  return self.renderToken(tokens, idx, options);
}

function installRenderRules(md: MarkdownIt): void {
  const rules = md.renderer.rules;
  const image = rules.image!;
  rules.html_inline = () => '';
  rules.html_block = (tokens, idx) => {
    const text = textBetweenTags(tokens[idx]!.content).trim();
    return text === '' ? '' : `<p>${escapeHtml(text)}</p>\n`;
  };
  rules.link_open = (tokens, idx, options, _env, self) => {
    keepSafeUrl(tokens[idx]!, 'href');
    return self.renderToken(tokens, idx, options);
  };
  rules.image = (tokens, idx, options, env, self) => {
    keepSafeUrl(tokens[idx]!, 'src');
    return image(tokens, idx, options, env, self);
  };
  rules.fence = fence;
  rules.code_block = codeBlock;
  rules.s_open = () => '<del>';
  rules.s_close = () => '</del>';
  rules.th_open = alignedCell;
  rules.td_open = alignedCell;
}

/** A markdown-it instance with the safe rendering and the linear link-label scan. */
export function safeMarkdownIt(): MarkdownIt {
  const md = new MarkdownIt('default', { html: true, linkify: true, typographer: false });
  // GitHub links `https://…` and mail addresses in text, not bare domain names.
  md.linkify.set({ fuzzyLink: false });
  md.linkify.add('ftp:', null).add('//', null);
  // Every link is parsed, so a refused URL leaves its text rather than the raw `[text](url)`;
  // the renderer decides which URLs are kept.
  md.validateLink = () => true;
  md.helpers.parseLinkLabel = linearParseLinkLabel;
  installRenderRules(md);
  return md;
}

export { escapeHtml };
