import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/package.js';
import { readTreeText, TreeAccessError } from '../core/tree.js';
import type { Changelog, ChangelogConfig, Fragment } from '../loader/fragments.js';
import { compileJinja, pyDict, TemplateError } from './jinja.js';
import { FormatError, indentLines, pyFormat, pyLen, pyStrip, textwrapFill } from './python.js';

/**
 * Release notes as towncrier 22.12 builds them (`build.py`, `_builder.py`: split_fragments,
 * render_fragments): the same grouping, ordering, template context, title and wrapping, so that
 * a towncrier project gets the bytes towncrier would have written.
 */

/** Why notes cannot be rendered: a bad template or setting; the message names it. */
export class RenderError extends Error {}

/** The package's own template standing in for towncrier's `towncrier:default`. */
export const DEFAULT_TEMPLATE = join(PACKAGE_ROOT, 'templates', 'changelog', 'towncrier-default.rst.jinja');

/** text → tickets, per type, per section name: towncrier's split_fragments. */
type Split = Map<string, Map<string, Map<string, string[]>>>;

/** Python compares strings by code point; JavaScript by UTF-16 unit. */
function comparePy(a: string, b: string): number {
  const [x, y] = [[...a], [...b]];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
  }
  return x.length - y.length;
}

const INTEGER = /^-?[0-9]+$/;

/** towncrier's issue_key: integers by value first… after strings, which sort as strings. */
function compareIssues(a: string, b: string): number {
  const [ia, ib] = [INTEGER.test(a), INTEGER.test(b)];
  const [ka, kb] = [ia ? BigInt(a) : -1n, ib ? BigInt(b) : -1n];
  if (ka !== kb) return ka < kb ? -1 : 1;
  return comparePy(ia ? '' : a, ib ? '' : b);
}

function compareIssueLists(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareIssues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** towncrier's entry_key: entries with issues by their issues; orphans after them, by text. */
function compareEntries([ta, ia]: [string, string[]], [tb, ib]: [string, string[]]): number {
  return comparePy(ia.length ? '' : ta, ib.length ? '' : tb) || compareIssueLists(ia, ib);
}

/** towncrier's bullet_key, for `all_bullets = false`: what each text starts with. */
function bulletRank(text: string): number {
  if (!text) return -1;
  if (text.startsWith('- ')) return 0;
  if (text.startsWith('* ')) return 1;
  if (text.startsWith('#. ')) return 2;
  return 3;
}

/** The fragments towncrier would read: a configured section and type, a file it could open. */
export function usableFragments(changelog: Changelog): Fragment[] {
  return changelog.fragments.filter((f) => f.section && f.type && !f.nameProblem);
}

function entryText(f: Fragment, allBullets: boolean): string {
  if (!f.type!.showContent) return '';
  // Bullets are added by the template, so continuation lines are indented under them.
  return allBullets ? indentLines(pyStrip(f.source.text), '  ').slice(2) : pyStrip(f.source.text, 'right');
}

function split(changelog: Changelog): Split {
  const { config } = changelog;
  const out: Split = new Map();
  const usable = usableFragments(changelog);
  for (const section of config.sections) {
    const types = new Map<string, Map<string, string[]>>();
    for (const f of usable.filter((x) => x.section === section)) {
      const texts = types.get(f.type!.directory) ?? new Map<string, string[]>();
      types.set(f.type!.directory, texts);
      const text = entryText(f, config.allBullets);
      const tickets = texts.get(text) ?? [];
      texts.set(text, tickets);
      if (f.ticket) tickets.push(f.ticket);
    }
    out.set(section.name, types);
  }
  return out;
}

/** towncrier's render_issue: `issue_format` filled in, or `#N` for numbers without one. */
export function renderIssue(format: string | undefined, issue: string): string {
  if (format === undefined) return INTEGER.test(issue) ? `#${issue}` : issue;
  try {
    return pyFormat(format, { issue });
  } catch (err) {
    if (err instanceof FormatError) throw new RenderError(`issue_format "${format}": ${err.message}`);
    throw err;
  }
}

/** The `sections` a towncrier template gets: entries ordered, issues ordered and rendered. */
function sectionsContext(changelog: Changelog): Record<string, unknown> {
  const { allBullets, issueFormat } = changelog.config;
  return pyDict([...split(changelog)].map(([section, types]) => [section, pyDict([...types].map(([type, texts]) => {
    // towncrier sorts the issues as strings, then (stably) by issue_key.
    const entries = [...texts].map(([text, issues]): [string, string[]] => [
      text, [...issues].sort(comparePy).sort(compareIssues),
    ]);
    entries.sort(compareEntries);
    if (!allBullets) entries.sort((a, b) => bulletRank(a[0]) - bulletRank(b[0]));
    return [type, pyDict(entries.map(([text, issues]) => [text, issues.map((i) => renderIssue(issueFormat, i))]))];
  }))]));
}

/** towncrier's get_indent: how wrapped lines of an entry continue. */
function indentFor(allBullets: boolean): (text: string) => string {
  return (text: string) => {
    if (allBullets || text.startsWith('- ') || text.startsWith('* ')) return '  ';
    return text.startsWith('#. ') ? '   ' : '';
  };
}

function templateSource(config: ChangelogConfig): { source: string; name: string } {
  if (config.template === undefined) {
    return { source: readFileSync(DEFAULT_TEMPLATE, 'utf8'), name: 'towncrier:default' };
  }
  try {
    const { text, badUtf8At } = readTreeText(config.treeRoot, config.template);
    if (badUtf8At !== undefined) throw new RenderError(`template ${config.template} is not valid UTF-8`);
    return { source: text, name: config.template };
  } catch (err) {
    if (err instanceof TreeAccessError) throw new RenderError(`template: ${err.message}`);
    throw err;
  }
}

export interface VersionData { name: string; version: string; date: string }

/** The title line towncrier writes above the template's output, when `title_format` is set. */
export function topLine(config: ChangelogConfig, data: VersionData): string {
  if (!config.titleFormat) return '';
  try {
    return pyFormat(config.titleFormat, { name: data.name, version: data.version, project_date: data.date });
  } catch (err) {
    if (err instanceof FormatError) throw new RenderError(`title_format "${config.titleFormat}": ${err.message}`);
    throw err;
  }
}

/** The notes of one release, as towncrier's build writes them (the content, before insertion). */
export function renderTowncrier(changelog: Changelog, data: VersionData): { content: string; topLine: string } {
  const { config } = changelog;
  const { source, name } = templateSource(config);
  const getIndent = indentFor(config.allBullets);
  let rendered: string;
  try {
    rendered = compileJinja(source, name).render({
      render_title: config.titleFormat === undefined || config.titleFormat === '',
      sections: sectionsContext(changelog),
      definitions: pyDict(config.types.map((t) => [
        t.directory, pyDict([['name', t.name], ['showcontent', t.showContent]]),
      ])),
      underlines: config.underlines.slice(1),
      versiondata: pyDict([['name', data.name], ['version', data.version], ['date', data.date]]),
      top_underline: config.underlines[0],
      get_indent: getIndent,
    });
  } catch (err) {
    if (err instanceof TemplateError) throw new RenderError(`template ${name}: ${err.message}`);
    throw err;
  }
  const lines = rendered.split('\n').map((line) => (config.wrap ? textwrapFill(line, 79, getIndent(line)) : line));
  const body = `${pyStrip(lines.join('\n'), 'right')}\n`;
  const top = topLine(config, data);
  if (!top) return { content: body, topLine: '' };
  return { content: [top, (config.underlines[0] ?? '').repeat(pyLen(top)), body].join('\n'), topLine: top };
}
