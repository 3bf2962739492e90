import { runCli } from './cli.js';
import { commands } from './commands/index.js';

export async function main(argv: string[]): Promise<number> {
  return runCli(commands, argv);
}
