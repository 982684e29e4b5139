import { parseArgs } from 'node:util';
import type { Command } from './core/command.js';
import { VERSION } from './core/package.js';
import { CommandFailure, UsageError } from './core/errors.js';
import { changelogCommand } from './changelog/command.js';
import { typesCommand } from './types/command.js';
import { siteCommand } from './site/command.js';
import { devCommand } from './site/dev.js';
import { lintCommand } from './lint/command.js';


const COMMANDS: Command[] = [lintCommand, changelogCommand, typesCommand, siteCommand, devCommand];

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
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`);
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
