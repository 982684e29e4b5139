import type { SourceFile } from '../core/source.js';
import type { Located } from './refs.js';

export type RootFormat = 'openapi-3.1' | 'openapi-3.0' | 'swagger-2.0' | 'not-openapi';
export type Dialect = '2020-12' | 'draft-04';

/** One root file of an API: a complete document for one topic. */
export interface ApiRoot {
  api: string;
  file: SourceFile;
  doc: Record<string, unknown>;
  format: RootFormat;
  /** Server base path: OpenAPI's `servers[0]` basePath variable (or URL path), Swagger's `basePath`. */
  basePath: string;
}

export interface Api {
  name: string;
  roots: ApiRoot[];
}

export interface Operation {
  api: string;
  root: ApiRoot;
  pathKey: string;
  method: string;
  /** basePath + path key: the path a client really requests. */
  fullPath: string;
  /** The file the operation is written in (a path item may be a $ref into another file). */
  file: SourceFile;
  node: Record<string, unknown>;
  pathItem: Record<string, unknown>;
  /** Path-level and operation-level parameters, references followed, operation ones winning. */
  parameters: Located<Record<string, unknown>>[];
}

/** A schema object found in the spec: each one is listed once, in the file that defines it. */
export interface SchemaSite {
  file: SourceFile;
  node: Record<string, unknown>;
  dialect: Dialect;
  /** Where the walk started (a root of validation): a document's schema, a $ref target, a file. */
  isRoot: boolean;
  /** An event schema's own top-level object, or its `content`: the event type names them. */
  eventExempt: boolean;
  /** Human-readable location, e.g. `POST /_matrix/client/v3/knock/{roomIdOrAlias} › request body`. */
  context: string;
}

export type ExampleKind = 'parameter' | 'request' | 'response' | 'header' | 'schema-example' | 'schema-default' | 'event';

/** A value the spec claims is valid against a schema. */
export interface ExampleSite {
  kind: ExampleKind;
  file: SourceFile;
  /** The object holding the value and the key it sits under (for locating it). */
  holder: object;
  key: string | number;
  value: unknown;
  schema?: Located;
  dialect: Dialect;
  context: string;
}

export interface EventSchema {
  type: string;
  file: SourceFile;
  node: unknown;
  /** Its example files (`<type>.json`, `<type>$<variant>.json`), `$ref`s unresolved. */
  examples: { name: string; file: SourceFile; value: unknown }[];
}

export interface StringFormat {
  name: string;
  title?: string;
  url?: string;
  pattern?: string;
  /** The regex, compiled for linear-time matching; absent when there is none or it cannot run. */
  regex?: import('../core/pattern.js').LinearPattern;
  /** Why the regex cannot be used, when it cannot. */
  regexProblem?: string;
  node: Record<string, unknown>;
  file: SourceFile;
}

/** A `$ref` found anywhere in the tree. */
export interface RefRecord {
  file: SourceFile;
  holder: Record<string, unknown>;
  ref: string;
  error?: string;
  target?: Located;
}

/** The whole spec tree, loaded once: what every command works on. */
export interface Spec {
  /** Absolute path of the folder holding `data/`. */
  root: string;
  files: SourceFile[];
  /** Files that could not be read or parsed, and duplicate keys: the yaml-* rules report them. */
  problems: (import('./parse.js').ParseProblem & { file: SourceFile })[];
  /** Folders of the tree whose names or shape the commands cannot use as they are (odd API names). */
  layoutProblems: { path: string; message: string }[];
  refs: RefRecord[];
  /** For each file reached through a $ref: the first place referencing it. */
  referrers: Map<SourceFile, { file: SourceFile; holder: object }>;
  apis: Api[];
  roots: ApiRoot[];
  operations: Operation[];
  schemas: SchemaSite[];
  examples: ExampleSite[];
  eventSchemas: EventSchema[];
  stringFormats: Map<string, StringFormat>;
  stringFormatsFile?: SourceFile;
  /** The changelog fragments and their towncrier configuration, when the tree has `changelogs/`. */
  changelog?: import('./fragments.js').Changelog;
  /** Why the changelog could not be read (its configuration is missing or broken). */
  changelogProblem?: { file: string; message: string };
  /** Follows `$ref` chains; see FileSet. */
  deref<T>(loc: Located<T>): Located | undefined;
  resolveRef(from: SourceFile, ref: string): import('./refs.js').Resolution;
  /** Resolves one hop only: the target may itself be a `$ref` (with siblings of its own). */
  resolveRefOnce(from: SourceFile, ref: string): import('./refs.js').Resolution;
}
