import { runCli } from './cli.js';
import { commands } from './commands/index.js';

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    const { versionText } = await import('./version.js');
    process.stdout.write(versionText() + '\n');
    return 0;
  }
  return runCli(commands, argv);
}
