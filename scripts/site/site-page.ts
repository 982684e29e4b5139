import type { EndpointView } from './blocks.js';
import type { Wrapper } from './directives.js';
import type { Heading, PreparedProse } from './markdown.js';

/** A page of the site while it is being built, before the layout wraps it. */
export interface RenderedPage {
  url: string;
  title: string;
  weight: number;
  /** Generated HTML (blocks appended to prose, or a whole generated page). */
  html: string;
  headings: Heading[];
  endpoints: EndpointView[];
  kind: 'page' | 'api' | 'changelog';
  openapi?: string;
  inNav: boolean;
  /** Ids that generated blocks use on this page; prose ids give way to them. */
  blockIds: Set<string>;
  /** The page's prose and the blocks for its directives, assembled once every block is known. */
  prose?: { prepared: PreparedProse; blocks: (string | Wrapper)[] };
  /** The site file the page was written in, for diagnostics. */
  source?: { rel: string; markdown: string; origins: { rel: string; line: number }[] };
}

/** A page whose HTML is generated whole (reference pages, the changelog list, fallbacks). */
export function generatedPage(
  url: string, title: string, weight: number, html: string, kind: RenderedPage['kind'] = 'page', inNav = true,
): RenderedPage {
  return { url, title, weight, html, headings: [], endpoints: [], kind, inNav, blockIds: new Set() };
}
