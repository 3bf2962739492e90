/**
 * Every `ecode` command, in the order `ecode --help` lists them. To add a command, write a module
 * in this folder exporting a `Command` (see ../cli.ts) and add it here.
 */
import type { Command } from '../cli.js';
import { validateCommand } from './validate.js';
import { configShowCommand } from './config-show.js';
import { sweepCommand } from './sweep.js';
import { trackingFlushCommand } from './tracking-flush.js';
import { sandboxDoctorCommand, sandboxRunCommand } from './sandbox.js';

export const commands: Command[] = [validateCommand, configShowCommand, sweepCommand, trackingFlushCommand, sandboxDoctorCommand, sandboxRunCommand];
