import type { Diagnostic } from '../core/diagnostic.js';
import { placeAt } from '../core/source.js';
import { valuePlaceOf } from '../loader/locate.js';
import type { Spec, StringFormat } from '../loader/model.js';
import { safeHref } from './html.js';
import { slugId } from './ids.js';

/** An identifier format as the site shows it: its link vetted, its row given a safe id. */
export interface SiteFormat {
  name: string;
  title: string;
  /** The definition's URL, only when it is a link a page may carry. */
  url?: string;
  regex: string;
  /** The id of its row in the `::string-formats` table. */
  id: string;
}

export interface SiteFormats {
  formats: Map<string, SiteFormat>;
  diagnostics: Diagnostic[];
}

function shown(url: string): string {
  const text = JSON.stringify(url.length > 80 ? `${url.slice(0, 80)}…` : url);
  return text.slice(1, -1);
}

function badUrl(f: StringFormat, url: string): Diagnostic {
  const place = valuePlaceOf(f.node, 'url') ?? placeAt(f.file, 0);
  return {
    ...place, severity: 'error', rule: 'site-format-url',
    message: `The url of format ${f.name}, "${shown(url)}", is not a link the site may show; it is left out.`,
    hint: 'Use a path of the site starting with "/" or "#", or an http: or https: URL.',
  };
}

/**
 * The formats of `data/string-formats.yaml` with their URLs checked: a URL reaches every page
 * that names the format, so `javascript:`, `data:` or a URL hiding a tab is dropped, with an
 * error at its line.
 */
export function siteFormats(spec: Spec): SiteFormats {
  const formats = new Map<string, SiteFormat>();
  const diagnostics: Diagnostic[] = [];
  const ids = new Set<string>();
  for (const f of spec.stringFormats.values()) {
    const url = f.url === undefined ? undefined : safeHref(f.url);
    if (f.url !== undefined && url === undefined) diagnostics.push(badUrl(f, f.url));
    let id = `format-${slugId(f.name, 'unnamed')}`;
    for (let i = 2; ids.has(id); i++) id = `format-${slugId(f.name, 'unnamed')}-${i}`;
    ids.add(id);
    formats.set(f.name, { name: f.name, title: f.title ?? f.name, url, regex: f.pattern ?? '', id });
  }
  return { formats, diagnostics };
}
