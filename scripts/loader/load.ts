import { existsSync } from 'node:fs';
import { loadChangelog } from './fragments.js';
import { basename, join, resolve } from 'node:path';
import type { SourceFile } from '../core/source.js';
import { compilePattern } from '../core/pattern.js';
import { listTree, own, subfolders } from '../core/tree.js';
import type {
  Api, ApiRoot, Dialect, EventSchema, ExampleKind, ExampleSite, Operation, RefRecord, RootFormat, SchemaSite, Spec, StringFormat,
} from './model.js';
import { isObject, isRef } from './pointer.js';
import { FileSet, type Located } from './refs.js';
import { subschemas } from './schema-keywords.js';

const SPEC_EXTENSIONS = /\.(ya?ml|json)$/i;
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The spec files under a folder, recursively; what cannot be read becomes a problem of the file set. */
function listSpecFiles(fs: FileSet, dir: string, recursive = true): string[] {
  const { files, problems } = listTree(fs.root, dir, { accept: (name) => SPEC_EXTENSIONS.test(name), recursive });
  for (const p of problems) fs.refuse(p.abs, p.message);
  return files;
}

function rootFormat(data: unknown): RootFormat {
  if (!isObject(data)) return 'not-openapi';
  if (typeof data.openapi === 'string') return data.openapi.startsWith('3.0') ? 'openapi-3.0' : 'openapi-3.1';
  if (data.swagger !== undefined) return 'swagger-2.0';
  return 'not-openapi';
}

function basePathOf(doc: Record<string, unknown>, format: RootFormat): string {
  if (format === 'swagger-2.0') return typeof doc.basePath === 'string' ? doc.basePath.replace(/\/$/, '') : '';
  const server = Array.isArray(doc.servers) ? doc.servers[0] : undefined;
  if (!isObject(server)) return '';
  const vars = isObject(server.variables) ? server.variables : {};
  const base = isObject(vars.basePath) && typeof vars.basePath.default === 'string' ? vars.basePath.default : undefined;
  if (base !== undefined) return base.replace(/\/$/, '');
  if (typeof server.url !== 'string') return '';
  // Substitute variable defaults, then keep the path of the URL.
  const url = substituteVariables(server.url, vars);
  const m = /^(?:[a-z][a-z0-9+.-]*:)?(?:\/\/[^/]*)?(\/.*)?$/i.exec(url);
  return (m?.[1] ?? '').replace(/\/$/, '');
}

/** `{name}` in a server URL replaced by the variable's default: one scan, however the braces nest. */
function substituteVariables(url: string, vars: Record<string, unknown>): string {
  let out = '';
  let at = 0;
  for (let open = url.indexOf('{'); open !== -1; open = url.indexOf('{', at)) {
    const close = url.indexOf('}', open + 1);
    if (close === -1) break;
    const v = own(vars, url.slice(open + 1, close));
    out += url.slice(at, open) + (isObject(v) && typeof v.default === 'string' ? v.default : '');
    at = close + 1;
  }
  return out + url.slice(at);
}

export interface LoadOptions {
  /** The changelogs folder, when not `<root>/changelogs`. */
  changelogDir?: string;
  /** Parsed files kept between loads (see FileSet); unchanged files are not parsed again. */
  cache?: ConstructorParameters<typeof FileSet>[1];
}

/** Loads the spec tree under `root` (the folder holding `data/`): every file read and parsed once. */
export function loadSpec(rootDir: string, options: LoadOptions = {}): Spec {
  const root = resolve(rootDir);
  const dataDir = join(root, 'data');
  const fs = new FileSet(root, options.cache);
  for (const abs of listSpecFiles(fs, dataDir)) fs.load(abs);

  const layoutProblems: { abs: string; message: string }[] = [];
  const refs = collectRefs(fs);
  const referrers = new Map<SourceFile, { file: SourceFile; holder: object }>();
  for (const r of refs) {
    if (r.target && r.target.file !== r.file && !referrers.has(r.target.file)) referrers.set(r.target.file, { file: r.file, holder: r.holder });
  }

  const index = new Indexer(fs);
  const apis: Api[] = [];
  const apiDir = join(dataDir, 'api');
  for (const name of subfolders(root, apiDir)) {
    const api: Api = { name, roots: [] };
    const dir = join(apiDir, name);
    if (!API_NAME.test(name)) layoutProblems.push({ abs: dir, message: apiNameProblem(name) });
    for (const abs of listTree(root, dir, { accept: (n) => SPEC_EXTENSIONS.test(n), recursive: false }).files) {
      const file = fs.byAbs.get(abs);
      if (!file?.parsed) continue;
      const format = rootFormat(file.data);
      const doc = isObject(file.data) ? file.data : {};
      const apiRoot: ApiRoot = { api: name, file, doc, format, basePath: format === 'not-openapi' ? '' : basePathOf(doc, format) };
      api.roots.push(apiRoot);
      index.nonSchemaNodes.add(file.data);
      if (format === 'swagger-2.0') index.walkSwagger2(apiRoot);
      else if (format !== 'not-openapi') index.walkOpenApi3(apiRoot);
    }
    apis.push(api);
  }

  const eventSchemas: EventSchema[] = [];
  const eventDir = join(dataDir, 'event-schemas');
  for (const abs of listTree(root, join(eventDir, 'schema'), { accept: (n) => SPEC_EXTENSIONS.test(n), recursive: false }).files) {
    const file = fs.byAbs.get(abs);
    if (!file?.parsed) continue;
    const type = basename(abs).replace(SPEC_EXTENSIONS, '');
    eventSchemas.push({ type, file, node: file.data, examples: [] });
    index.walkSchema({ file, node: file.data }, '2020-12', `event ${type}`, 'event');
  }
  const schemaByType = new Map(eventSchemas.map((e) => [e.type, e]));
  for (const abs of listTree(root, join(eventDir, 'examples'), { accept: (n) => SPEC_EXTENSIONS.test(n), recursive: false }).files) {
    const file = fs.byAbs.get(abs);
    if (!file?.parsed) continue;
    const name = basename(abs).replace(SPEC_EXTENSIONS, '');
    // `m.room.message$m.text` belongs to the schema of that name when there is one (a variant
    // with its own schema), else to `m.room.message`.
    const schema = schemaByType.get(name) ?? schemaByType.get(name.split('$')[0]!);
    index.nonSchemaNodes.add(file.data);
    if (schema) {
      schema.examples.push({ name, file, value: file.data });
      index.examples.push({
        kind: 'event', file, holder: file, key: '', value: file.data, schema: { file: schema.file, node: schema.node },
        dialect: '2020-12', context: `event example ${name}`,
      });
    }
  }

  const formatsFile = fs.byAbs.get(join(dataDir, 'string-formats.yaml'));
  const stringFormats = new Map<string, StringFormat>();
  if (formatsFile?.parsed && isObject(formatsFile.data)) {
    index.nonSchemaNodes.add(formatsFile.data);
    for (const [name, node] of Object.entries(formatsFile.data)) {
      if (!isObject(node)) continue;
      const pattern = typeof node.regex === 'string' ? node.regex : undefined;
      const compiled = pattern === undefined ? undefined : compilePattern(pattern);
      stringFormats.set(name, {
        name, node, file: formatsFile, pattern, regex: compiled?.pattern, regexProblem: compiled?.error,
        title: typeof node.title === 'string' ? node.title : undefined,
        url: typeof node.url === 'string' ? node.url : undefined,
      });
    }
  }

  // Files no document reaches are still checked: as schemas, unless they hold examples.
  for (const file of fs.byAbs.values()) {
    if (!file.parsed || !isObject(file.data) || index.nonSchemaFiles.has(file) || index.nonSchemaNodes.has(file.data)) continue;
    if (index.visited.has(file.data) || /(^|\/)examples\//.test(file.rel)) continue;
    index.walkSchema({ file, node: file.data }, index.dialectOfFile.get(file) ?? '2020-12', file.rel, 'plain');
  }

  // The changelog (towncrier's configuration and the fragments), read through the tree's trust boundary.
  const changelogDir = options.changelogDir ?? join(root, 'changelogs');
  const { changelog, problem: changelogProblem } = existsSync(changelogDir) ? loadChangelog({ root, dir: changelogDir }) : {};

  const files = [...fs.byAbs.values(), ...(changelog?.fragments.map((f) => f.source) ?? [])]
    .sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return {
    changelog, changelogProblem,
    root, files, refs, referrers, apis,
    roots: apis.flatMap((a) => a.roots),
    operations: index.operations,
    schemas: index.schemas,
    examples: index.examples,
    eventSchemas,
    stringFormats,
    stringFormatsFile: formatsFile?.parsed ? formatsFile : undefined,
    problems: fs.problems.map(({ file, problem }) => ({ file, ...problem })),
    layoutProblems: layoutProblems.map((p) => ({ path: fs.relOf(p.abs), message: p.message })),
    deref: (loc) => fs.deref(loc),
    resolveRef: (from, ref) => fs.resolve(from, ref),
    resolveRefOnce: (from, ref) => fs.resolveOnce(from, ref),
  };
}

/** Every `$ref` of every parsed file (files reached only through a $ref included), resolved. */
function collectRefs(fs: FileSet): RefRecord[] {
  const out: RefRecord[] = [];
  // A cycle is reported once, at its first member; references leading into it are not at fault.
  const reportedLoops = new Set<unknown>();
  const record = (file: SourceFile, node: Record<string, unknown> & { $ref: string }) => {
    const r = fs.resolve(file, node.$ref);
    if (r.error === undefined) out.push({ file, holder: node, ref: node.$ref, target: { file: r.file, node: r.node } });
    else if (!r.loop) out.push({ file, holder: node, ref: node.$ref, error: r.error });
    else if (r.loop.some((l) => l.node === node) && !r.loop.some((l) => reportedLoops.has(l.node))) {
      reportedLoops.add(node);
      const start = r.loop.findIndex((l) => l.node === node);
      const cycle = [...r.loop.slice(start), ...r.loop.slice(0, start), r.loop[start]!].map((l) => l.file.rel);
      out.push({ file, holder: node, ref: node.$ref, error: `This $ref starts a cycle that never reaches a value: ${cycle.join(' → ')}.` });
    } else out.push({ file, holder: node, ref: node.$ref });
  };
  // A Map iterates over entries added while it is iterated: files first reached through a
  // reference are walked too, in the same pass.
  for (const file of fs.byAbs.values()) {
    if (!file.parsed) continue;
    const seen = new Set<object>();
    const stack: unknown[] = [file.data];
    while (stack.length > 0) {
      const node = stack.pop();
      if (node === null || typeof node !== 'object' || seen.has(node)) continue;
      seen.add(node);
      if (isRef(node)) record(file, node);
      const children = Array.isArray(node) ? node : Object.values(node);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return out;
}

/** API folder names become module names, URLs and identifiers: lower-case words joined by hyphens. */
const API_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

function apiNameProblem(name: string): string {
  return `The API folder name "${name}" is not lower-case words joined by single hyphens; it names the API's `
    + 'typings module, site page and anchors, which will use a cleaned-up form of it.';
}

/** Walks API documents and schemas, listing operations, schemas and examples once each. */
class Indexer {
  readonly operations: Operation[] = [];
  readonly schemas: SchemaSite[] = [];
  readonly examples: ExampleSite[] = [];
  /** Schema objects already listed. */
  readonly visited = new Set<unknown>();
  /** Nodes reached as something other than a schema (security schemes, documents, examples). */
  readonly nonSchemaNodes = new Set<unknown>();
  readonly nonSchemaFiles = new Set<SourceFile>();
  readonly dialectOfFile = new Map<SourceFile, Dialect>();

  constructor(private readonly fs: FileSet) {}

  /** Follows a reference met outside schemas, remembering that its target is no schema. */
  private deref(loc: Located): Located | undefined {
    if (!isRef(loc.node)) return loc;
    const target = this.fs.deref(loc);
    if (target) {
      this.nonSchemaNodes.add(target.node);
      if (target.file !== loc.file) this.nonSchemaFiles.add(target.file);
    }
    return target;
  }

  private derefObject(loc: Located): Located<Record<string, unknown>> | undefined {
    const r = this.deref(loc);
    return r && isObject(r.node) ? (r as Located<Record<string, unknown>>) : undefined;
  }

  walkSchema(start: Located, dialect: Dialect, context: string, role: 'event' | 'plain' | 'inline'): void {
    const queue: { loc: Located; isRoot: boolean; exempt: boolean; context: string }[] = [{ loc: start, isRoot: true, exempt: role === 'event', context }];
    while (queue.length > 0) {
      const { loc, isRoot, exempt, context: ctx } = queue.pop()!;
      const node = loc.node;
      if (!isObject(node) || this.visited.has(node)) continue;
      this.visited.add(node);
      if (!this.dialectOfFile.has(loc.file) && loc.node === loc.file.data) this.dialectOfFile.set(loc.file, dialect);
      this.schemas.push({ file: loc.file, node, dialect, isRoot, eventExempt: exempt, context: ctx });
      if (typeof node.$ref === 'string') {
        const target = this.fs.resolve(loc.file, node.$ref);
        if (target.error === undefined) {
          if (target.file !== loc.file && !this.dialectOfFile.has(target.file)) this.dialectOfFile.set(target.file, dialect);
          queue.push({ loc: { file: target.file, node: target.node }, isRoot: true, exempt: false, context: target.file.rel });
        }
      }
      if ('example' in node) this.addExample('schema-example', loc.file, node, 'example', node.example, loc, dialect, ctx);
      if (Array.isArray(node.examples)) {
        node.examples.forEach((v, i) => this.addExample('schema-example', loc.file, node.examples as object, i, v, loc, dialect, ctx));
      }
      if ('default' in node) this.addExample('schema-default', loc.file, node, 'default', node.default, loc, dialect, ctx);
      for (const [sub, path] of subschemas(node)) {
        const contentOfEvent = role === 'event' && loc.node === start.node && path[0] === 'properties' && path[1] === 'content';
        queue.push({ loc: { file: loc.file, node: sub }, isRoot: false, exempt: contentOfEvent, context: `${ctx} › ${path.join('.')}` });
      }
    }
  }

  private addExample(kind: ExampleKind, file: SourceFile, holder: object, key: string | number, value: unknown, schema: Located | undefined, dialect: Dialect, context: string): void {
    this.examples.push({ kind, file, holder, key, value, schema, dialect, context });
  }

  private schemaAt(file: SourceFile, node: unknown, dialect: Dialect, context: string): Located | undefined {
    if (!isObject(node) && typeof node !== 'boolean') return undefined;
    this.walkSchema({ file, node }, dialect, context, 'inline');
    return { file, node };
  }

  /** `example` and `examples` (a map of Example Objects) of a parameter, media type or header. */
  private mediaExamples(kind: ExampleKind, file: SourceFile, holder: Record<string, unknown>, schema: Located | undefined, context: string): void {
    if ('example' in holder) this.addExample(kind, file, holder, 'example', holder.example, schema, '2020-12', context);
    if (!isObject(holder.examples)) return;
    for (const [name, raw] of Object.entries(holder.examples)) {
      const ex = this.derefObject({ file, node: raw });
      if (ex && 'value' in ex.node) this.addExample(kind, ex.file, ex.node, 'value', ex.node.value, schema, '2020-12', `${context} example "${name}"`);
    }
  }

  private content(kind: ExampleKind, file: SourceFile, content: unknown, context: string): void {
    if (!isObject(content)) return;
    for (const [mime, raw] of Object.entries(content)) {
      const media = this.derefObject({ file, node: raw });
      if (!media) continue;
      const schema = this.schemaAt(media.file, media.node.schema, '2020-12', `${context} (${mime})`);
      this.mediaExamples(kind, media.file, media.node, schema, context);
    }
  }

  private parameters3(file: SourceFile, list: unknown, context: string): Located<Record<string, unknown>>[] {
    const out: Located<Record<string, unknown>>[] = [];
    if (!Array.isArray(list)) return out;
    for (const raw of list) {
      const p = this.derefObject({ file, node: raw });
      if (!p) continue;
      out.push(p);
      const ctx = `${context} › parameter ${String(p.node.name)}`;
      const schema = this.schemaAt(p.file, p.node.schema, '2020-12', ctx);
      this.mediaExamples('parameter', p.file, p.node, schema, ctx);
      this.content('parameter', p.file, p.node.content, ctx);
    }
    return out;
  }

  private headers3(file: SourceFile, headers: unknown, context: string): void {
    if (!isObject(headers)) return;
    for (const [name, raw] of Object.entries(headers)) {
      const h = this.derefObject({ file, node: raw });
      if (!h) continue;
      const schema = this.schemaAt(h.file, h.node.schema, '2020-12', `${context} › header ${name}`);
      this.mediaExamples('header', h.file, h.node, schema, `${context} › header ${name}`);
    }
  }

  walkOpenApi3(root: ApiRoot): void {
    const { file, doc } = root;
    const paths = isObject(doc.paths) ? doc.paths : {};
    for (const [pathKey, rawItem] of Object.entries(paths)) {
      const item = this.derefObject({ file, node: rawItem });
      if (!item) continue;
      const fullPath = root.basePath + pathKey;
      const shared = this.parameters3(item.file, item.node.parameters, fullPath);
      for (const method of HTTP_METHODS) {
        const op = item.node[method];
        if (!isObject(op)) continue;
        const ctx = `${method.toUpperCase()} ${fullPath}`;
        const own = this.parameters3(item.file, op.parameters, ctx);
        this.operations.push({
          api: root.api, root, pathKey, method, fullPath, file: item.file, node: op, pathItem: item.node,
          parameters: mergeParameters(shared, own),
        });
        const body = this.derefObject({ file: item.file, node: op.requestBody });
        if (body) this.content('request', body.file, body.node.content, `${ctx} › request body`);
        if (isObject(op.responses)) {
          for (const [status, raw] of Object.entries(op.responses)) {
            const res = this.derefObject({ file: item.file, node: raw });
            if (!res) continue;
            this.content('response', res.file, res.node.content, `${ctx} › response ${status}`);
            this.headers3(res.file, res.node.headers, `${ctx} › response ${status}`);
          }
        }
      }
    }
    const components = isObject(doc.components) ? doc.components : {};
    if (isObject(components.schemas)) {
      for (const [name, s] of Object.entries(components.schemas)) this.schemaAt(file, s, '2020-12', `components.schemas.${name}`);
    }
    for (const kind of ['securitySchemes', 'parameters', 'responses', 'requestBodies', 'headers', 'examples', 'links', 'callbacks', 'pathItems'] as const) {
      const group = components[kind];
      if (isRef(group)) this.deref({ file, node: group });
      else if (isObject(group)) for (const v of Object.values(group)) this.deref({ file, node: v });
    }
    if (isObject(components.parameters)) this.parameters3(file, Object.values(components.parameters), 'components.parameters');
  }

  walkSwagger2(root: ApiRoot): void {
    const { file, doc } = root;
    const paths = isObject(doc.paths) ? doc.paths : {};
    const param2 = (f: SourceFile, list: unknown, context: string) => {
      const out: Located<Record<string, unknown>>[] = [];
      if (!Array.isArray(list)) return out;
      for (const raw of list) {
        const p = this.derefObject({ file: f, node: raw });
        if (!p) continue;
        out.push(p);
        const ctx = `${context} › parameter ${String(p.node.name)}`;
        if (p.node.in === 'body') {
          this.schemaAt(p.file, p.node.schema, 'draft-04', ctx);
        } else if ('x-example' in p.node) {
          this.addExample('parameter', p.file, p.node, 'x-example', p.node['x-example'], { file: p.file, node: parameterSchema2(p.node) }, 'draft-04', ctx);
        }
      }
      return out;
    };
    for (const [pathKey, rawItem] of Object.entries(paths)) {
      const item = this.derefObject({ file, node: rawItem });
      if (!item) continue;
      const fullPath = root.basePath + pathKey;
      const shared = param2(item.file, item.node.parameters, fullPath);
      for (const method of HTTP_METHODS) {
        const op = item.node[method];
        if (!isObject(op)) continue;
        const ctx = `${method.toUpperCase()} ${fullPath}`;
        const own = param2(item.file, op.parameters, ctx);
        this.operations.push({ api: root.api, root, pathKey, method, fullPath, file: item.file, node: op, pathItem: item.node, parameters: mergeParameters(shared, own) });
        if (!isObject(op.responses)) continue;
        for (const [status, raw] of Object.entries(op.responses)) {
          const res = this.derefObject({ file: item.file, node: raw });
          if (!res) continue;
          const schema = this.schemaAt(res.file, res.node.schema, 'draft-04', `${ctx} › response ${status}`);
          if (isObject(res.node.examples)) {
            for (const [mime, value] of Object.entries(res.node.examples)) {
              this.addExample('response', res.file, res.node.examples, mime, value, schema, 'draft-04', `${ctx} › response ${status} (${mime})`);
            }
          }
        }
      }
    }
    if (isObject(doc.definitions)) {
      for (const [name, s] of Object.entries(doc.definitions)) this.schemaAt(file, s, 'draft-04', `definitions.${name}`);
    }
    if (isObject(doc.securityDefinitions)) this.nonSchemaNodes.add(doc.securityDefinitions);
  }
}

/** A Swagger 2.0 non-body parameter is its own schema, less the parameter-only keys. */
function parameterSchema2(p: Record<string, unknown>): Record<string, unknown> {
  const { name: _n, in: _i, required: _r, description: _d, 'x-example': _x, collectionFormat: _c, allowEmptyValue: _a, ...schema } = p;
  return schema;
}

function mergeParameters(shared: Located<Record<string, unknown>>[], own: Located<Record<string, unknown>>[]): Located<Record<string, unknown>>[] {
  const key = (p: Located<Record<string, unknown>>) => `${String(p.node.in)}:${String(p.node.name)}`;
  const ownKeys = new Set(own.map(key));
  return [...shared.filter((p) => !ownKeys.has(key(p))), ...own];
}
