export { main } from './main.js';
export { runCli, UsageError, type Command, type CommandContext } from './cli.js';
