import type { Diagnostic } from '../core/diagnostic.js';
import { isEventSchema } from '../loader/event-kind.js';
import type { Api, Operation, Spec } from '../loader/model.js';
import { DocumentBundler } from '../loader/bundle.js';
import { copyAssets, copyStatic } from './assets.js';
import { Blocks } from './blocks.js';
import { changelogPages } from './changelog-pages.js';
import { crossLink } from './crosslinks.js';
import { runDirective, type DirectiveScope } from './directives.js';
import { siteFormats, type SiteFormat } from './formats.js';
import { escapeHtml } from './html.js';
import { sectionsOf, textOfHtml, withoutPermalinks } from './html-text.js';
import { relinkBlocks, reportLinks } from './link-report.js';
import { assembleProse, prepareProse, type Directive } from './markdown.js';
import { apiPageUrl, apiSlug, readPages, type PagesLayout, type SourcePage } from './pages.js';
import { generatedPage, type RenderedPage } from './site-page.js';
import type { SearchDoc } from './search-index.js';
import { loadTemplates, type SiteTemplates } from './templates.js';

export interface SiteOptions {
  /** The spec tree's root. */
  root: string;
  /** The package's own root: templates and assets when the tree has none. */
  packageRoot: string;
  /** Adds the live-reload script. */
  dev?: boolean;
  specVersion?: string;
}

export interface SiteBuild {
  /** Output files by path relative to the site root (all but the search index). */
  files: Map<string, string | Buffer>;
  diagnostics: Diagnostic[];
  /** What the search index holds, computed on first call; `searchIndex` builds the index. */
  searchDocs(): SearchDoc[];
}

/** Everything one build accumulates: pages, placements, link targets and findings. */
class SiteState {
  readonly diagnostics: Diagnostic[] = [];
  readonly files = new Map<string, string | Buffer>();
  readonly pages: RenderedPage[] = [];
  readonly placed = new Map<Operation, string>();
  readonly placedEvents = new Map<string, string>();
  readonly placedFormats: { url?: string } = {};
  /** Where each mention links: event types, endpoints and formats, to their block's URL. */
  readonly targets = new Map<string, string>();
  /** The page each endpoint and event anchor lives on. */
  readonly blockHome = new Map<string, string>();
  readonly templates: SiteTemplates;
  readonly formats: Map<string, SiteFormat>;
  readonly blocks: Blocks;
  /** How many operations share a method and path below their API prefix. */
  private readonly shortNames = new Map<string, number>();

  constructor(readonly spec: Spec, readonly opts: SiteOptions) {
    this.templates = loadTemplates(opts.root, this.diagnostics);
    const formats = siteFormats(spec);
    this.diagnostics.push(...formats.diagnostics);
    this.formats = formats.formats;
    this.blocks = new Blocks(spec, this.formats, this.templates.layoutIds);
    for (const o of spec.operations) {
      const k = `${o.method.toUpperCase()} ${o.pathKey}`;
      this.shortNames.set(k, (this.shortNames.get(k) ?? 0) + 1);
    }
  }

  /** Endpoints are also named by the path below their API's prefix where that is unambiguous. */
  linkEndpoint(op: Operation, url: string, anchor: string): void {
    this.targets.set(`${op.method.toUpperCase()} ${op.fullPath}`, `${url}#${anchor}`);
    const short = `${op.method.toUpperCase()} ${op.pathKey}`;
    if (this.shortNames.get(short) === 1) this.targets.set(short, `${url}#${anchor}`);
    this.blockHome.set(anchor, url);
  }

  linkEvent(type: string, url: string, anchor: string): void {
    if (!type.includes('$')) this.targets.set(type, `${url}#${anchor}`);
    this.blockHome.set(anchor, url);
  }
}

/** Renders a prose page's directives into blocks; the prose is assembled once all blocks are known. */
function renderProsePage(state: SiteState, source: SourcePage): RenderedPage {
  const prepared = prepareProse(source.markdown);
  const depth = source.url.split('/').length;
  const page: RenderedPage = {
    // Pages one folder deep (`/x/`) are in the navigation; deeper ones (`/rooms/v1/`) are not.
    ...generatedPage(source.url, source.title, source.weight, '', source.api ? 'api' : 'page',
      depth <= 3 && !source.hidden),
    prose: { prepared, blocks: [] },
    source: { rel: source.rel, markdown: source.markdown, origins: source.origins },
  };
  const scope: DirectiveScope = {
    spec: state.spec, blocks: state.blocks, templates: state.templates, formats: state.formats,
    page: { url: source.url, api: source.api },
    placed: state.placed, placedEvents: state.placedEvents, placedFormats: state.placedFormats,
    endpoints: page.endpoints,
    addBlock: (ids) => { for (const id of ids) page.blockIds.add(id); },
    linkEndpoint: (op, url, anchor) => state.linkEndpoint(op, url, anchor),
    linkEvent: (type, url, anchor) => state.linkEvent(type, url, anchor),
    addFile: (path, content) => state.files.set(path, content),
    error: (d: Directive, message: string) => {
      const origin = source.origins[d.line - 1] ?? { rel: source.rel, line: d.line + source.bodyLine - 1 };
      const place = { file: origin.rel, line: origin.line, column: d.column };
      state.diagnostics.push({ ...place, severity: 'error', rule: 'site-directive', message });
    },
  };
  page.prose!.blocks = prepared.directives.map((d) => runDirective(d, scope));
  return page;
}

/** "client-server" → "Client-Server API"; empty words (a name like `bad--name`) stay empty. */
function apiTitle(name: string): string {
  return `${name.split('-').map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w)).join('-')} API`;
}

/** URL slugs for the APIs, unique even when odd folder names (`a b`, `a-b`) slug alike. */
function apiSlugs(apis: readonly Api[]): Map<Api, string> {
  const taken = new Set<string>();
  const slugs = new Map<Api, string>();
  for (const api of apis) {
    let slug = apiSlug(api.name);
    for (let i = 2; taken.has(slug); i++) slug = `${apiSlug(api.name)}-${i}`;
    taken.add(slug);
    slugs.set(api, slug);
  }
  return slugs;
}

/** The merged OpenAPI document of one API, or a diagnostic when it cannot be built. */
function publishOpenApi(state: SiteState, bundler: DocumentBundler, api: Api, slug: string): string | undefined {
  try {
    const doc = bundler.api(api, state.opts.specVersion ?? '');
    state.files.set(`${slug}/openapi.json`, JSON.stringify(doc, null, 2) + '\n');
    return `/${slug}/openapi.json`;
  } catch (err) {
    const file = api.roots[0]?.file.rel ?? `data/api/${api.name}`;
    const message = `the OpenAPI document of the ${api.name} API could not be built: ${(err as Error).message}`;
    state.diagnostics.push({ file, line: 1, column: 1, severity: 'error', rule: 'site-page', message });
    return undefined;
  }
}

/** Endpoints no prose places still appear: on their API's page, or on a reference page of their own. */
function completeApiPages(state: SiteState, hasProse: boolean): void {
  const bundler = new DocumentBundler(state.spec, { publish: true });
  const slugs = apiSlugs(state.spec.apis);
  for (const api of state.spec.apis) {
    const slug = slugs.get(api)!;
    const missing = state.spec.operations.filter((o) => o.api === api.name && !state.placed.has(o));
    const url = apiPageUrl(api.name, slug);
    // Every API's merged document is published, whether or not it gets a page of its own.
    const openapi = publishOpenApi(state, bundler, api, slug);
    let page = state.pages.find((p) => p.url === url);
    if (!page && missing.length === 0) continue;
    if (!page) {
      page = generatedPage(url, apiTitle(api.name), 20, '', 'api');
      state.pages.push(page);
    }
    page.openapi = openapi;
    if (missing.length) appendEndpoints(state, page, missing, hasProse ? 'Other endpoints' : 'Endpoints');
  }
}

function appendEndpoints(state: SiteState, page: RenderedPage, ops: Operation[], title: string): void {
  page.blockIds.add('other-endpoints');
  page.html += `<h2 id="other-endpoints">${title}</h2>\n`;
  page.headings.push({ depth: 2, id: 'other-endpoints', text: title });
  for (const op of ops) {
    state.placed.set(op, page.url);
    const view = state.blocks.endpoint(op);
    page.endpoints.push(view);
    for (const id of view.ids) page.blockIds.add(id);
    state.linkEndpoint(op, page.url, view.anchor);
    page.html += state.templates.endpoint(view);
  }
}

/** Events no page places get a page of their own. */
function addEventsPage(state: SiteState): void {
  const { spec } = state;
  const unplaced = spec.eventSchemas
    .filter((e) => !state.placedEvents.has(e.type) && isEventSchema(spec, e.file, e.node));
  if (!unplaced.length) return;
  const page = generatedPage('/events/', 'Events', 80, '');
  for (const e of unplaced) {
    const view = state.blocks.event(e.type)!;
    state.placedEvents.set(e.type, page.url);
    for (const id of view.ids) page.blockIds.add(id);
    state.linkEvent(e.type, page.url, view.anchor);
    page.html += state.templates.event(view);
  }
  state.pages.push(page);
}

/** Prose and blocks together; prose ids that a block or the layout uses are renumbered. */
function assemblePages(state: SiteState): void {
  for (const page of state.pages) {
    if (!page.prose) continue;
    const reserved = new Set([...state.templates.layoutIds, ...page.blockIds]);
    const prose = assembleProse(page.prose.prepared, page.prose.blocks, reserved);
    page.html = prose.html + page.html;
    page.headings = [...prose.headings, ...page.headings];
  }
}

/**
 * A tree without the pages the blocks link to still gets them: a home page, and appendices
 * holding the anchors that identifier formats point at.
 */
function addFallbackPages(state: SiteState): void {
  const { pages } = state;
  const prefix = '/appendices/#';
  const anchors = new Map<string, SiteFormat>();
  for (const f of state.formats.values()) if (f.url?.startsWith(prefix) && !anchors.has(f.url)) anchors.set(f.url, f);
  if (anchors.size && !pages.some((p) => p.url === '/appendices/')) {
    const html = [...anchors.values()].map((f) => `<h2 id="${escapeHtml(f.url!.slice(prefix.length))}">`
      + `${escapeHtml(f.title)}</h2>\n<p>Format <code>${escapeHtml(f.name)}</code>, matching `
      + `<code class="regex">${escapeHtml(f.regex)}</code>.</p>\n`).join('');
    pages.push(generatedPage('/appendices/', 'Appendices', 90, html));
  }
  if (!pages.some((p) => p.url === '/')) {
    const list = pages.filter((p) => p.inNav).sort((a, b) => a.weight - b.weight)
      .map((p) => `<li><a href="${escapeHtml(p.url)}">${escapeHtml(p.title)}</a></li>`).join('\n');
    const html = `<p>The parts of this specification:</p>\n<ul>\n${list}\n</ul>\n`;
    pages.push(generatedPage('/', 'Matrix Specification', 0, html, 'page', false));
  }
}

/** Wraps every page in the layout, with its navigation, table of contents and endpoint list. */
function layoutPages(state: SiteState): void {
  const pages = state.pages.sort((a, b) => a.weight - b.weight || (a.url < b.url ? -1 : 1));
  const navPages = pages.filter((p) => p.inNav && p.url !== '/');
  for (const page of pages) {
    const nav = navPages.map((p) => ({
      url: p.url, title: p.title, current: p.url === page.url || (p.url !== '/' && page.url.startsWith(p.url)),
    }));
    state.files.set(`${page.url.slice(1)}index.html`, state.templates.layout({
      title: page.title, body: page.html, toc: page.headings.filter((h) => h.depth === 2 || h.depth === 3),
      endpoints: page.endpoints, nav, dev: state.opts.dev, openapi: page.openapi,
      specVersion: state.opts.specVersion ? `v${state.opts.specVersion}` : '',
    }));
  }
}

/** One search document per section and per block, so results land on the right anchor. */
function searchDocsOf(pages: readonly RenderedPage[]): SearchDoc[] {
  const docs: SearchDoc[] = [];
  for (const page of pages) {
    sectionsOf(page.html).forEach((section, i) => {
      // An endpoint's or event's title has its own id; the result should land on the block.
      const id = section.id?.endsWith('-title') ? section.id.slice(0, -'-title'.length) : section.id;
      const heading = section.id === undefined ? page.title
        : page.headings.find((h) => h.id === section.id)?.text ?? textOfHtml(withoutPermalinks(section.heading ?? ''));
      docs.push({
        id: `${page.url}#${i}`, url: id ? `${page.url}#${id}` : page.url,
        title: id ? `${heading} · ${page.title}` : page.title,
        text: textOfHtml(withoutPermalinks(section.html)).slice(0, 4000), kind: page.kind,
      });
    });
  }
  return docs;
}

/** The last check: every internal link and anchor resolves. */
function checkPages(state: SiteState, layout: PagesLayout): void {
  state.diagnostics.push(...reportLinks(state.files, state.pages, state.spec, {
    layout,
    // Fetched by scripts, or served only by the dev server.
    ignore: (href) => href === '/search-index.json' || href.startsWith('/__mxspec/'),
  }));
}

/**
 * Renders the whole site in memory: prose pages with their endpoint and event blocks, a
 * reference page for anything no page places, changelog pages, the merged OpenAPI document of
 * each API, the search index and the assets. Writing it is the caller's job, so a failed build
 * never touches the site already on disk.
 */
export function buildSite(spec: Spec, opts: SiteOptions): SiteBuild {
  const state = new SiteState(spec, opts);
  const prose = readPages(opts.root);
  state.diagnostics.push(...prose.diagnostics);
  for (const source of prose.pages) state.pages.push(renderProsePage(state, source));
  completeApiPages(state, prose.pages.length > 0);
  addEventsPage(state);
  state.pages.push(...changelogPages(spec, state.diagnostics));
  assemblePages(state);
  for (const f of state.formats.values()) if (f.url) state.targets.set(f.name, f.url);
  for (const page of state.pages) page.html = crossLink(page.html, state.targets, page.url);
  addFallbackPages(state);
  relinkBlocks(state.pages, state.blockHome);
  // Splitting every page into sections is work only a search needs: done on first use.
  let docs: SearchDoc[] | undefined;
  const searchDocs = () => (docs ??= searchDocsOf(state.pages));
  layoutPages(state);
  copyAssets(opts.root, state.files, state.diagnostics);
  if (prose.layout === 'hugo') copyStatic(opts.root, state.files, state.diagnostics);
  checkPages(state, prose.hasSite ? prose.layout : 'none');
  return { files: state.files, diagnostics: state.diagnostics, searchDocs };
}

