import { createRequire } from 'node:module';
import type { Spec, StringFormat } from '../loader/model.js';
import { docText, typeName } from '../loader/bundle.js';

const require = createRequire(import.meta.url);

/** `mx-user-id` → `UserId`: the identifier type a format becomes. */
export function identifierTypeName(format: string): string {
  return typeName(format.replace(/^mx-/, ''));
}

/**
 * The template-literal shape of a format, read off its regex: the literal sigil it starts with
 * (`@`, `!`, `#`, `$`, `mxc://`) and, when the grammar requires a `:server` after one run of
 * local characters, `:${string}`. A format with no sigil is a plain string.
 */
export function identifierShape(format: StringFormat): string {
  const source = format.pattern ?? '';
  const m = /^\^((?:\\[$.^*+?()[\]{}|/\\]|[A-Za-z0-9@!#:/_-])*)/.exec(source);
  const prefix = (m?.[1] ?? '').replace(/\\(.)/g, '$1');
  if (!prefix) return 'string';
  const rest = source.slice(1 + (m?.[1]?.length ?? 0));
  const server = /^\[[^\]]*\][+*]:/.test(rest);
  // Backquotes, backslashes and `${` would end or interpolate the template literal type.
  const literal = prefix.replace(/[`\\]/g, (c) => `\\${c}`).replaceAll('${', '\\${');
  return `\`${literal}\${string}${server ? ':${string}' : ''}\``;
}

/** The identifiers module: one exported type per string format, documented. */
export function identifiersModule(spec: Spec): string {
  const parts = ["/** Matrix identifier types, one per format of the spec's string-formats.yaml. */", 'export {};', ''];
  for (const f of [...spec.stringFormats.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const doc = [
      f.title ?? f.name,
      '',
      `Format \`${f.name}\`${f.url ? `, defined at ${f.url}` : ''}.`,
      f.pattern ? `Grammar: \`${f.pattern}\`` : '',
    ]
      .filter((l, i, a) => l !== '' || a[i + 1] !== '')
      .flatMap((l) => docText(l).split(/\r?\n/));
    parts.push(
      '/**',
      ...doc.map((l) => ` * ${l}`.trimEnd()),
      ' */',
      `export type ${identifierTypeName(f.name)} = ${identifierShape(f)};`,
      '',
    );
  }
  return parts.join('\n');
}

export interface GeneratedModule {
  code: string;
  identifiers: string[];
}

/**
 * Runs openapi-typescript on one bundled document; identifier formats become identifier types.
 * openapi-typescript walks references by recursion, so a schema nested thousands of files deep
 * overflows the main thread's stack; such a document is generated again on a worker thread whose
 * stack is made large enough, rather than failing.
 */
export async function generateModule(doc: object, spec: Spec): Promise<GeneratedModule> {
  const formats = new Set(spec.stringFormats.keys());
  try {
    return await generateWithFormats(doc, formats);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    return generateOnBigStack(doc, formats);
  }
}

async function generateOnBigStack(doc: object, formats: Set<string>): Promise<GeneratedModule> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(new URL('./generate-worker.js', import.meta.url), {
    workerData: { doc, formats: [...formats] },
    resourceLimits: { stackSizeMb: 512 },
  });
  return new Promise((done, fail) => {
    worker.once('message', (result: GeneratedModule | { error: string }) => {
      void worker.terminate();
      if ('error' in result) fail(new Error(result.error));
      else done(result);
    });
    worker.once('error', fail);
  });
}

/** openapi-typescript on one document, given the names of the spec's identifier formats. */
export async function generateWithFormats(doc: object, formats: ReadonlySet<string>): Promise<GeneratedModule> {
  const ts = require('typescript') as typeof import('typescript');
  const { default: openapiTS, astToString, transformSchemaObject } = await import('openapi-typescript');
  const used = new Set<string>();
  const nodes = await openapiTS(doc as never, {
    silent: true,
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
    // JSON Schema lets an object with no properties hold anything; openapi-typescript's default says nothing.
    emptyObjectsUnknown: true,
    transform(schema, options) {
      // A map whose keys have an identifier format: Record<UserId, …> instead of string keys.
      const keys = (schema as { propertyNames?: { format?: unknown } }).propertyNames;
      const keyFormat = typeof keys?.format === 'string' && formats.has(keys.format) ? keys.format : undefined;
      const values = (schema as { additionalProperties?: unknown }).additionalProperties;
      if (keyFormat && !('properties' in schema) && values !== undefined && values !== false) {
        const name = identifierTypeName(keyFormat);
        used.add(name);
        const valueType =
          values === true
            ? ts.factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword)
            : transformSchemaObject(values as never, {
                path: `${options.path ?? ''}/additionalProperties`,
                ctx: options.ctx,
              });
        return ts.factory.createTypeReferenceNode('Record', [ts.factory.createTypeReferenceNode(name), valueType]);
      }
      const format = typeof schema.format === 'string' ? schema.format : undefined;
      if (!format || !formats.has(format)) return undefined;
      const name = identifierTypeName(format);
      used.add(name);
      return ts.factory.createTypeReferenceNode(name);
    },
  });
  return { code: astToString(nodes), identifiers: [...used].sort() };
}
