import type { parseArgs } from 'node:util';

/** A subcommand of the CLI: its help text, its options (beside --root and --help) and what it does. */
export interface Command {
  name: string;
  help: string;
  options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  run(values: Record<string, unknown>, positionals: string[]): Promise<number>;
}
