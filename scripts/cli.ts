import { parseArgs } from 'node:util';
import type { Command } from './core/command.js';
import { VERSION } from './core/package.js';
import { CommandFailure, UsageError } from './core/errors.js';

/**
 * The subcommands, loaded only when run: linting should not pay for the site's Markdown
 * pipeline, nor the site for openapi-typescript.
 */
const COMMANDS: { name: string; summary: string; load(): Promise<Command> }[] = [
  { name: 'lint', summary: 'check the spec: YAML, $refs, OpenAPI and JSON Schema, examples, house rules', load: async () => (await import('./lint/command.js')).lintCommand },
  { name: 'changelog', summary: 'build release notes from changelog fragments, or check the fragments', load: async () => (await import('./changelog/command.js')).changelogCommand },
  { name: 'types', summary: 'generate the typings package: endpoint, event and identifier types, and a typed client', load: async () => (await import('./types/command.js')).typesCommand },
  { name: 'site', summary: 'build the static site: prose pages with every endpoint and event, search, changelog', load: async () => (await import('./site/command.js')).siteCommand },
  { name: 'dev', summary: 'serve the site on localhost, rebuilding and reloading on every change', load: async () => (await import('./site/dev.js')).devCommand },
];

const MAIN_HELP = `mxspec ${VERSION}: the Matrix specification kept as data, checked and built.

Usage: mxspec <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`).join('\n')}

Every command takes --root DIR (the folder holding data/; default: this repository)
and --help. Run "mxspec <command> --help" for its options.
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) throw new UsageError(`unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
  const command = await entry.load();
  const { values, positionals } = parseArgs({
    args: rest, allowPositionals: true, strict: true,
    options: { ...command.options, help: { type: 'boolean', short: 'h' }, root: { type: 'string' } },
  });
  if (values.help) {
    process.stdout.write(command.help);
    return 0;
  }
  return command.run(values, positionals);
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (err) {
    // Usage mistakes, bad configuration and failed writes are one line, never a stack trace.
    const known = err instanceof UsageError || err instanceof CommandFailure || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`mxspec: ${known ? (err as Error).message : `internal error: ${(err as Error).stack ?? String(err)}`}\n`);
    process.exitCode = err instanceof CommandFailure ? 1 : 2;
  }
}
