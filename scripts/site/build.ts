import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import MiniSearch from 'minisearch';
import type { Diagnostic } from '../core/diagnostic.js';
import { ownOrPackage } from '../core/package.js';
import { collectNotes, renderNotes } from '../changelog/render.js';
import { isEventSchema } from '../loader/event-kind.js';
import type { Operation, Spec } from '../loader/model.js';
import { TypeBundler } from '../types/bundle.js';
import { Blocks, type EndpointView } from './blocks.js';
import { escapeHtml } from './html.js';
import { checkLinks } from './links.js';
import { crossLink } from './crosslinks.js';
import { renderMarkdown, type Directive, type Heading } from './markdown.js';
import { apiPageUrl, PageError, readPages, type SourcePage } from './pages.js';

const require = createRequire(import.meta.url);

export interface SiteOptions {
  /** The spec tree's root. */
  root: string;
  /** The package's own root: templates and assets when the tree has none. */
  packageRoot: string;
  /** Adds the live-reload script. */
  dev?: boolean;
  specVersion?: string;
}

export interface SearchDoc { id: string; url: string; title: string; text: string; kind: string }

export interface SiteBuild {
  /** Output files by path relative to the site root (all but the search index). */
  files: Map<string, string | Buffer>;
  diagnostics: Diagnostic[];
  /** What the search index holds, computed on first call; `searchIndex` builds the index. */
  searchDocs(): SearchDoc[];
}

/** The serialized MiniSearch index the site's search script loads. */
export function searchIndex(docs: SearchDoc[]): string {
  const search = new MiniSearch<SearchDoc>({ fields: ['title', 'text'], storeFields: ['url', 'title', 'kind'] });
  search.addAll(docs);
  return JSON.stringify(search);
}

interface RenderedPage {
  url: string;
  title: string;
  weight: number;
  html: string;
  headings: Heading[];
  endpoints: EndpointView[];
  kind: 'page' | 'api' | 'changelog';
  openapi?: string;
  inNav: boolean;
}

/** The folder of a kind of input: the tree's own when it has one, else the package's. */
function inputDir(opts: SiteOptions, ...parts: string[]): string {
  return ownOrPackage(opts.root, ...parts);
}

/** Compiled templates, reused while their files are unchanged (the dev server rebuilds often). */
const compiledTemplates = new Map<string, ReturnType<typeof compileTemplates>>();

function loadTemplates(opts: SiteOptions) {
  const dir = inputDir(opts, 'templates', 'site');
  const sources = [join(dir, 'layout.hbs'), ...readdirSync(join(dir, 'partials')).filter((f) => f.endsWith('.hbs')).sort().map((f) => join(dir, 'partials', f))]
    .map((f) => `${f}\u0000${readFileSync(f, 'utf8')}`).join('\u0001');
  let templates = compiledTemplates.get(sources);
  if (!templates) {
    templates = compileTemplates(dir);
    compiledTemplates.clear();
    compiledTemplates.set(sources, templates);
  }
  return templates;
}

function compileTemplates(dir: string) {
  const hb = Handlebars.create();
  for (const f of readdirSync(join(dir, 'partials'))) {
    if (f.endsWith('.hbs')) hb.registerPartial(f.replace(/\.hbs$/, ''), readFileSync(join(dir, 'partials', f), 'utf8'));
  }
  const compile = (name: string) => hb.compile(readFileSync(join(dir, `${name}.hbs`), 'utf8'), { strict: false });
  return { layout: compile('layout'), endpoint: hb.compile('{{> endpoint}}'), event: hb.compile('{{> event}}'), formats: hb.compile('{{> string-formats}}') };
}

function textOfHtml(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&[a-z#0-9]+;/gi, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Renders the whole site in memory: prose pages with their endpoint and event blocks, a
 * reference page for anything no page places, changelog pages, the merged OpenAPI document of
 * each API, the search index and the assets. Writing it is the caller's job, so a failed build
 * never touches the site already on disk.
 */
export function buildSite(spec: Spec, opts: SiteOptions): SiteBuild {
  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, string | Buffer>();
  const templates = loadTemplates(opts);
  const blocks = new Blocks(spec);
  const placed = new Map<Operation, string>();
  const placedEvents = new Set<string>();
  /** Where each mention should link: event types, endpoints and formats, to their block's URL. */
  const targets = new Map<string, string>();
  // Endpoints are also named by the path below their API's prefix (`POST /knock/{roomIdOrAlias}`)
  // where that is unambiguous across the spec.
  const shortNames = new Map<string, number>();
  for (const o of spec.operations) { const k = `${o.method.toUpperCase()} ${o.pathKey}`; shortNames.set(k, (shortNames.get(k) ?? 0) + 1); }
  const endpointTarget = (op: Operation, url: string, anchor: string) => {
    targets.set(`${op.method.toUpperCase()} ${op.fullPath}`, `${url}#${anchor}`);
    const short = `${op.method.toUpperCase()} ${op.pathKey}`;
    if (shortNames.get(short) === 1) targets.set(short, `${url}#${anchor}`);
  };
  const pages: RenderedPage[] = [];
  const error = (file: string, line: number, column: number, rule: string, message: string) =>
    diagnostics.push({ file, line, column, severity: 'error', rule, message });

  let sources: SourcePage[] = [];
  try {
    sources = readPages(opts.root);
  } catch (err) {
    if (!(err instanceof PageError)) throw err;
    error(err.rel, err.line, 1, 'site-page', err.message);
  }

  const renderPage = (page: SourcePage): RenderedPage => {
    const endpoints: EndpointView[] = [];
    const onDirective = (d: Directive): string => {
      const origin = page.origins[d.line - 1] ?? { rel: page.rel, line: d.line + page.bodyLine - 1 };
      const line = origin.line;
      if (d.name === 'operation') {
        const api = d.attributes.api ?? page.api;
        const op = spec.operations.find((o) => o.node.operationId === d.attributes.id && (!api || o.api === api));
        if (!op) { error(origin.rel, line, d.column, 'site-directive', `::operation names "${d.attributes.id ?? ''}", which is no operation${api ? ` of the ${api} API` : ''}.`); return ''; }
        if (placed.has(op)) { error(origin.rel, line, d.column, 'site-directive', `${op.node.operationId} is already placed on ${placed.get(op)}; each endpoint appears once.`); return ''; }
        placed.set(op, page.url);
        const view = blocks.endpoint(op);
        endpoints.push(view);
        endpointTarget(op, page.url, view.anchor);
        return templates.endpoint(view);
      }
      if (d.name === 'event') {
        const view = d.attributes.type ? blocks.event(d.attributes.type) : undefined;
        if (!view) { error(origin.rel, line, d.column, 'site-directive', `::event names "${d.attributes.type ?? ''}", which has no schema in data/event-schemas/schema/.`); return ''; }
        if (placedEvents.has(view.type)) { error(origin.rel, line, d.column, 'site-directive', `${view.type} is already placed; each event appears once.`); return ''; }
        placedEvents.add(view.type);
        if (!view.type.includes('$')) targets.set(view.type, `${page.url}#${view.anchor}`);
        return templates.event(view);
      }
      if (d.name === 'string-formats') {
        return templates.formats({ formats: [...spec.stringFormats.values()].map((f) => ({ name: f.name, title: f.title ?? f.name, url: f.url, regex: f.pattern ?? '' })) });
      }
      error(origin.rel, line, d.column, 'site-directive', `unknown directive "::${d.name}" (known: operation, event, string-formats).`);
      return '';
    };
    const { html, headings } = renderMarkdown(page.markdown, onDirective);
    return { url: page.url, title: page.title, weight: page.weight, html, headings, endpoints, kind: page.api ? 'api' : 'page', inNav: !/^\/[^/]+\/[^/]+\//.test(page.url) };
  };

  for (const source of sources) pages.push(renderPage(source));

  // Endpoints no prose places still appear: on their API's page, or on a reference page of their own.
  for (const api of spec.apis) {
    const missing = spec.operations.filter((o) => o.api === api.name && !placed.has(o));
    const url = apiPageUrl(api.name);
    let page = pages.find((p) => p.url === url);
    if (!page && missing.length === 0) continue;
    if (!page) {
      page = { url, title: `${api.name.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('-')} API`, weight: 20, html: '', headings: [], endpoints: [], kind: 'api', inNav: true };
      pages.push(page);
    }
    page.openapi = `/${api.name}/openapi.json`;
    if (missing.length) {
      const heading = page.headings.some((h) => h.id === 'other-endpoints') ? 'endpoints-not-yet-described' : 'other-endpoints';
      page.html += `<h2 id="${heading}">${sources.length ? 'Other endpoints' : 'Endpoints'}</h2>\n`;
      page.headings.push({ depth: 2, id: heading, text: sources.length ? 'Other endpoints' : 'Endpoints' });
      for (const op of missing) {
        placed.set(op, url);
        const view = blocks.endpoint(op);
        page.endpoints.push(view);
        endpointTarget(op, url, view.anchor);
        page.html += templates.endpoint(view);
      }
    }
    files.set(`${api.name}/openapi.json`, JSON.stringify(new TypeBundler(spec, { publish: true }).api(api, opts.specVersion ?? ''), null, 2) + '\n');
  }
  const unplacedEvents = spec.eventSchemas.filter((e) => !placedEvents.has(e.type) && isEventSchema(spec, e.file, e.node));
  if (unplacedEvents.length) {
    let html = '';
    for (const e of unplacedEvents) {
      const view = blocks.event(e.type)!;
      if (!e.type.includes('$')) targets.set(e.type, `/events/#${view.anchor}`);
      html += templates.event(view);
    }
    pages.push({ url: '/events/', title: 'Events', weight: 80, html, headings: [], endpoints: [], kind: 'page', inNav: true });
  }

  // Changelog: the unreleased draft from the fragments, and each released version.
  if (spec.changelog) {
    const releases: { version: string; markdown: string }[] = [];
    const releaseDir = join(spec.changelog.config.dir, spec.changelog.config.filename.split('{version}')[0]!.replace(/[^/]*$/, ''));
    if (existsSync(releaseDir) && statSync(releaseDir).isDirectory()) {
      for (const f of readdirSync(releaseDir).filter((n) => n.endsWith('.md')).sort().reverse()) {
        releases.push({ version: f.replace(/\.md$/, ''), markdown: readFileSync(join(releaseDir, f), 'utf8') });
      }
    }
    const templatesDir = join(inputDir(opts, 'templates', 'changelog'), '..');
    const draft = renderNotes(collectNotes(spec.changelog, 'Unreleased changes'), templatesDir);
    const toPage = (url: string, title: string, markdown: string): RenderedPage => {
      const { html, headings } = renderMarkdown(markdown.replace(/^## .*\n/, ''));
      return { url, title, weight: 100, html, headings, endpoints: [], kind: 'changelog', inNav: false };
    };
    pages.push(toPage('/changelog/unreleased/', 'Unreleased changes', draft));
    for (const r of releases) pages.push(toPage(`/changelog/${r.version}/`, `Changes in ${r.version}`, r.markdown));
    const list = [['unreleased', 'Unreleased changes'], ...releases.map((r) => [r.version, r.version])]
      .map(([slug, label]) => `<li><a href="/changelog/${slug}/">${escapeHtml(label!)}</a></li>`).join('\n');
    pages.push({ url: '/changelog/', title: 'Changelog', weight: 100, html: `<p>What changed in each version of the specification, newest first.</p>\n<ul class="releases">\n${list}\n</ul>\n`, headings: [], endpoints: [], kind: 'changelog', inNav: true });
  }

  for (const f of spec.stringFormats.values()) if (f.url) targets.set(f.name, f.url);
  for (const page of pages) page.html = crossLink(page.html, targets, page.url);

  // A tree without the pages the blocks link to still gets them: a home page, and appendices
  // holding the anchors that identifier formats point at.
  const appendixAnchors = [...spec.stringFormats.values()].filter((f) => f.url?.startsWith('/appendices/#'));
  if (appendixAnchors.length && !pages.some((p) => p.url === '/appendices/')) {
    const html = appendixAnchors.map((f) => `<h2 id="${escapeHtml(f.url!.slice('/appendices/#'.length))}">${escapeHtml(f.title ?? f.name)}</h2>\n<p>Format <code>${escapeHtml(f.name)}</code>, matching <code class="regex">${escapeHtml(f.pattern ?? '')}</code>.</p>\n`).join('');
    pages.push({ url: '/appendices/', title: 'Appendices', weight: 90, html, headings: [], endpoints: [], kind: 'page', inNav: true });
  }
  if (!pages.some((p) => p.url === '/')) {
    const list = pages.filter((p) => p.inNav).sort((a, b) => a.weight - b.weight).map((p) => `<li><a href="${p.url}">${escapeHtml(p.title)}</a></li>`).join('\n');
    pages.push({ url: '/', title: 'Matrix Specification', weight: 0, html: `<p>The parts of this specification:</p>\n<ul>\n${list}\n</ul>\n`, headings: [], endpoints: [], kind: 'page', inNav: false });
  }
  const sourceOf = new Map(sources.map((p) => [`${p.url.slice(1)}index.html`, p.rel]));

  pages.sort((a, b) => a.weight - b.weight || (a.url < b.url ? -1 : 1));
  const navPages = pages.filter((p) => p.inNav && p.url !== '/');
  for (const page of pages) {
    const nav = navPages.map((p) => ({ url: p.url, title: p.title, current: p.url === page.url || (p.url !== '/' && page.url.startsWith(p.url)) }));
    files.set(`${page.url.slice(1)}index.html`, templates.layout({
      title: page.title, body: page.html, toc: page.headings.filter((h) => h.depth === 2 || h.depth === 3),
      endpoints: page.endpoints, nav, dev: opts.dev, openapi: page.openapi, specVersion: opts.specVersion ? `v${opts.specVersion}` : '',
    }));
  }

  const assets = inputDir(opts, 'site', 'assets');
  const copy = (dir: string, prefix: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) copy(join(dir, e.name), `${prefix}${e.name}/`);
      else files.set(`assets/${prefix}${e.name}`, readFileSync(join(dir, e.name)));
    }
  };
  copy(assets, '');
  // The browser build, beside the package's CommonJS entry (its exports map hides the path).
  files.set('assets/vendor/minisearch.js', readFileSync(join(dirname(require.resolve('minisearch')), '..', 'umd', 'index.js')));

  for (const broken of checkLinks(files)) {
    // Fetched by scripts, or served only by the dev server.
    if (broken.href === '/search-index.json' || broken.href.startsWith('/__mxspec/')) continue;
    diagnostics.push({ file: sourceOf.get(broken.from) ?? `dist/site/${broken.from}`, line: 1, column: 1, severity: 'error', rule: 'site-link', message: `Link to ${broken.href} on /${broken.from.replace(/index\.html$/, '')} does not resolve: ${broken.reason}.` });
  }
  // Splitting every page into sections is work only a search needs: done on first use.
  let docs: SearchDoc[] | undefined;
  const searchDocs = (): SearchDoc[] => {
    if (docs) return docs;
    docs = [];
    for (const page of pages) {
      // One search document per section and per endpoint, so results land on the right anchor.
      const sections = page.html.split(/(?=<h[23] [^>]*id=")/);
      sections.forEach((raw, i) => {
        const section = raw.replace(/<a class="permalink"[^>]*>[^<]*<\/a>/g, '');
        const headingId = /^<h[23] [^>]*id="([^"]+)"/.exec(section)?.[1];
        // An endpoint's or event's title has its own id; the result should land on the block.
        const id = headingId?.replace(/-title$/, '');
        const heading = headingId ? page.headings.find((h) => h.id === headingId)?.text ?? textOfHtml(/^<h[23][^>]*>([\s\S]*?)<\/h[23]>/.exec(section)?.[1] ?? '') : page.title;
        docs!.push({ id: `${page.url}#${i}`, url: id ? `${page.url}#${id}` : page.url, title: id ? `${heading} · ${page.title}` : page.title, text: textOfHtml(section).slice(0, 4000), kind: page.kind });
      });
    }
    return docs;
  };
  return { files, diagnostics, searchDocs };
}

