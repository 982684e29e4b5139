import { basename, dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostic.js';
import { ownOrPackage } from '../core/package.js';
import { isWithin, listTree, readTreeText, relToRoot, TreeAccessError } from '../core/tree.js';
import { collectNotes, renderNotes } from '../changelog/render.js';
import type { Spec } from '../loader/model.js';
import { escapeHtml, isSafeVersionName } from './html.js';
import { renderMarkdown } from './markdown.js';
import { generatedPage, type RenderedPage } from './site-page.js';

interface Release { version: string; markdown: string }

function changelogError(file: string, line: number, message: string): Diagnostic {
  return { file, line, column: 1, severity: 'error', rule: 'site-page', message };
}

/** Where released notes live and how their files are named, from the towncrier `filename`. */
function releaseLayout(spec: Spec): { dir: string; prefix: string; suffix: string } | undefined {
  const config = spec.changelog!.config;
  const pattern = resolve(config.dir, config.filename);
  const name = basename(pattern);
  const at = name.indexOf('{version}');
  if (at === -1 || dirname(pattern).includes('{version}')) return undefined;
  return { dir: dirname(pattern), prefix: name.slice(0, at), suffix: name.slice(at + '{version}'.length) };
}

/** The released notes, newest name first; odd file names and unreadable files are reported, not shown. */
function readReleases(spec: Spec, diagnostics: Diagnostic[]): Release[] {
  const layout = releaseLayout(spec);
  if (!layout) return [];
  const root = spec.root;
  if (!isWithin(root, layout.dir)) {
    const message = `released notes would be read from ${layout.dir}, outside the spec tree; they are not read.`;
    diagnostics.push(changelogError(relToRoot(root, spec.changelog!.config.file), 1, message));
    return [];
  }
  const { prefix, suffix } = layout;
  const accept = (n: string) => n.startsWith(prefix) && n.endsWith(suffix) && n.length > prefix.length + suffix.length;
  const listed = listTree(root, layout.dir, { recursive: false, accept });
  for (const p of listed.problems) diagnostics.push(changelogError(relToRoot(root, p.abs), 1, p.message));
  const releases: Release[] = [];
  for (const abs of listed.files) {
    const name = basename(abs);
    const version = name.slice(prefix.length, name.length - suffix.length);
    if (!isSafeVersionName(version) || version === 'unreleased') {
      const message = `"${version}" is not a version name the site can publish `
        + '(letters, digits, ".", "-", "+", "_", not starting with a dot); the notes are not shown.';
      diagnostics.push(changelogError(relToRoot(root, abs), 1, message));
      continue;
    }
    try {
      releases.push({ version, markdown: readTreeText(root, abs).text });
    } catch (err) {
      if (!(err instanceof TreeAccessError)) throw err;
      diagnostics.push(changelogError(relToRoot(root, abs), 1, err.message));
    }
  }
  return releases.sort((a, b) => (a.version < b.version ? 1 : a.version > b.version ? -1 : 0));
}

/** The notes without their first `## ` heading: the page title says it. */
function withoutTitle(markdown: string): string {
  if (!markdown.startsWith('## ')) return markdown;
  const end = markdown.indexOf('\n');
  return end === -1 ? '' : markdown.slice(end + 1);
}

function notesPage(url: string, title: string, markdown: string): RenderedPage {
  const { html, headings } = renderMarkdown(withoutTitle(markdown));
  return { ...generatedPage(url, title, 100, html, 'changelog', false), headings };
}

/** The unreleased draft, rendered by the changelog's own templates; a failure is reported, not thrown. */
function draftNotes(spec: Spec, diagnostics: Diagnostic[]): string | undefined {
  try {
    const templatesDir = join(ownOrPackage(spec.root, 'templates', 'changelog'), '..');
    return renderNotes(collectNotes(spec.changelog!, 'Unreleased changes'), templatesDir);
  } catch (err) {
    const message = `the unreleased notes could not be rendered: ${(err as Error).message.split('\n')[0]}`;
    diagnostics.push(changelogError(relToRoot(spec.root, spec.changelog!.config.file), 1, message));
    return undefined;
  }
}

/** The changelog pages: the unreleased draft from the fragments, each released version, and their list. */
export function changelogPages(spec: Spec, diagnostics: Diagnostic[]): RenderedPage[] {
  if (!spec.changelog) return [];
  const releases = readReleases(spec, diagnostics);
  const draft = draftNotes(spec, diagnostics);
  const pages: RenderedPage[] = [];
  if (draft !== undefined) pages.push(notesPage('/changelog/unreleased/', 'Unreleased changes', draft));
  for (const r of releases) pages.push(notesPage(`/changelog/${r.version}/`, `Changes in ${r.version}`, r.markdown));
  const entries = releases.map((r) => [r.version, r.version]);
  if (draft !== undefined) entries.unshift(['unreleased', 'Unreleased changes']);
  const item = ([slug, label]: string[]) =>
    `<li><a href="/changelog/${escapeHtml(slug!)}/">${escapeHtml(label!)}</a></li>`;
  const list = entries.map(item).join('\n');
  const intro = '<p>What changed in each version of the specification, newest first.</p>';
  const html = `${intro}\n<ul class="releases">\n${list}\n</ul>\n`;
  pages.push(generatedPage('/changelog/', 'Changelog', 100, html, 'changelog'));
  return pages;
}
