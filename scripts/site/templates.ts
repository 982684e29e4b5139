import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Diagnostic } from '../core/diagnostic.js';
import { ownOrPackage, PACKAGE_ROOT } from '../core/package.js';
import { isWithin, listTree, readTreeText, relToRoot, TreeAccessError } from '../core/tree.js';
import { idsIn, LAYOUT_IDS } from './ids.js';

/** The site's templates, each rendering to '' (with a diagnostic) when the template itself fails. */
export interface SiteTemplates {
  layout(context: object): string;
  endpoint(view: object): string;
  event(view: object): string;
  formats(context: object): string;
  /** Any partial by name (`box`, `definition`, `version-note`, …), guarded like the others. */
  partial(name: string, context: object): string;
  /** Ids the layout uses: prose never takes them. */
  layoutIds: ReadonlySet<string>;
}

type Render = (context: object) => string;

interface TemplateSource { name: string; rel: string; text: string }

interface Sources { list: TemplateSource[]; problems: Diagnostic[] }

function templateError(rel: string, line: number, message: string): Diagnostic {
  return { file: rel, line, column: 1, severity: 'error', rule: 'site-template', message };
}

/** Reads `layout.hbs` and `partials/*.hbs` of a templates folder through the trust boundary. */
function readSources(base: string, dir: string, shownRoot: string): Sources {
  const problems: Diagnostic[] = [];
  const list: TemplateSource[] = [];
  const read = (name: string, abs: string) => {
    const rel = relToRoot(shownRoot, abs);
    try {
      list.push({ name, rel, text: readTreeText(base, abs).text });
    } catch (err) {
      if (!(err instanceof TreeAccessError)) throw err;
      problems.push(templateError(rel, 1, err.message));
    }
  };
  read('layout', join(dir, 'layout.hbs'));
  const partials = listTree(base, join(dir, 'partials'), { recursive: false, accept: (n) => n.endsWith('.hbs') });
  for (const p of partials.problems) problems.push(templateError(relToRoot(shownRoot, p.abs), 1, p.message));
  for (const abs of partials.files) read(abs.slice(join(dir, 'partials').length + 1, -'.hbs'.length), abs);
  for (const source of list) {
    try {
      Handlebars.parse(source.text);
    } catch (err) {
      const message = (err as Error).message;
      const line = Number(/^Parse error on line (\d+):/.exec(message)?.[1] ?? 1);
      problems.push(templateError(source.rel, line, `the template does not parse: ${message.split('\n')[0]}`));
    }
  }
  return { list, problems };
}

/** One of the package's own partials (the names are ours, never the tree's). */
function packagePartial(name: string): string {
  const abs = join(PACKAGE_ROOT, 'templates', 'site', 'partials', `${name}.hbs`);
  try {
    return readTreeText(PACKAGE_ROOT, abs).text;
  } catch {
    return '';
  }
}

function compiledPartial(t: ReturnType<typeof compile>, name: string): Render {
  let run = t.partials.get(name);
  if (!run) {
    // A tree's own templates may predate a partial: the package's stands in for it.
    if (!t.hb.partials[name]) t.hb.registerPartial(name, packagePartial(name));
    run = t.hb.compile(`{{> ${JSON.stringify(name)}}}`);
    t.partials.set(name, run);
  }
  return run;
}

/** Compiled templates, reused while their text is unchanged (the dev server rebuilds often). */
const compiled = new Map<string, ReturnType<typeof compile>>();

function compile(list: TemplateSource[]) {
  const hb = Handlebars.create();
  for (const s of list) if (s.name !== 'layout') hb.registerPartial(s.name, s.text);
  const layout = list.find((s) => s.name === 'layout');
  return {
    layout: hb.compile(layout?.text ?? '{{{body}}}', { strict: false }),
    endpoint: hb.compile('{{> endpoint}}'),
    event: hb.compile('{{> event}}'),
    formats: hb.compile('{{> string-formats}}'),
    layoutRel: layout?.rel ?? 'templates/site/layout.hbs',
    partialRel: (name: string) => list.find((s) => s.name === name)?.rel ?? `templates/site/partials/${name}.hbs`,
    layoutIds: new Set([...LAYOUT_IDS, ...idsIn(layout?.text ?? '')]),
    partials: new Map<string, Render>(),
    hb,
  };
}

function compiledFor(list: TemplateSource[]) {
  const key = list.map((s) => `${s.rel}\u0000${s.text}`).join('\u0001');
  let templates = compiled.get(key);
  if (!templates) {
    templates = compile(list);
    compiled.clear();
    compiled.set(key, templates);
  }
  return templates;
}

/** Wraps a template so that a failure (a missing partial, a helper error) is one diagnostic, not a crash. */

/**
 * Output by template and context object. Block views are reused from one dev rebuild to the next
 * (see `Blocks`), so their HTML is too; fresh contexts simply miss.
 */
const rendered = new WeakMap<Render, WeakMap<object, string>>();

function renderOnce(run: Render, context: object): string {
  let byContext = rendered.get(run);
  if (!byContext) rendered.set(run, (byContext = new WeakMap()));
  let html = byContext.get(context);
  if (html === undefined) byContext.set(context, (html = run(context)));
  return html;
}

function guarded(run: Render, rel: string, diagnostics: Diagnostic[]): Render {
  let reported = false;
  return (context) => {
    try {
      return renderOnce(run, context);
    } catch (err) {
      const message = `the template failed: ${(err as Error).message.split('\n')[0]}`;
      if (!reported) diagnostics.push(templateError(rel, 1, message));
      reported = true;
      return '';
    }
  };
}

/**
 * The tree's `templates/site/` when it has one, else the package's. A tree's templates are read
 * like any file of the tree; when they cannot be read or parsed, each problem is reported and
 * the package's templates stand in, so the rest of the build still reports its own problems.
 */
export function loadTemplates(root: string, diagnostics: Diagnostic[]): SiteTemplates {
  const dir = ownOrPackage(root, 'templates', 'site');
  const inTree = isWithin(root, dir);
  let sources = readSources(inTree ? root : PACKAGE_ROOT, dir, inTree ? root : PACKAGE_ROOT);
  if (sources.problems.length > 0) {
    diagnostics.push(...sources.problems);
    if (inTree) sources = readSources(PACKAGE_ROOT, join(PACKAGE_ROOT, 'templates', 'site'), PACKAGE_ROOT);
  }
  const t = compiledFor(sources.list);
  const partials = new Map<string, Render>();
  return {
    layout: guarded(t.layout, t.layoutRel, diagnostics),
    endpoint: guarded(t.endpoint, t.partialRel('endpoint'), diagnostics),
    event: guarded(t.event, t.partialRel('event'), diagnostics),
    formats: guarded(t.formats, t.partialRel('string-formats'), diagnostics),
    partial: (name, context) => {
      let render = partials.get(name);
      if (!render) {
        render = guarded(compiledPartial(t, name), t.partialRel(name), diagnostics);
        partials.set(name, render);
      }
      return render(context);
    },
    layoutIds: t.layoutIds,
  };
}
