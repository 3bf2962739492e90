/**
 * Every `ecode` command, in the order `ecode --help` lists them. To add a command, write a module
 * in this folder exporting a `Command` (see ../cli.ts) and add it here.
 */
import type { Command } from '../cli.js';
import { demoCommand } from './demo.js';
import { reportCommand } from './report.js';
import { evaluateCommand, generateCommand, runCommand, trainCommand } from './run.js';
import { validateCommand } from './validate.js';
import { configShowCommand } from './config-show.js';
import { sweepCommand } from './sweep.js';
import { workerCommand } from './worker.js';
import { queueStatusCommand } from './queue-status.js';
import { trackingFlushCommand } from './tracking-flush.js';
import { sandboxDoctorCommand, sandboxRunCommand } from './sandbox.js';
import { dataImportGecCommand, dataSynthCommand } from './data.js';
import { tokenizerEncodeCommand, tokenizerTrainCommand } from './tokenizer.js';
import { predictTimeCommand, timedbBuildCommand, timedbImportCommand, timedbTrainCommand } from './timedb.js';
import { checkpointInspectCommand } from './checkpoint-inspect.js';
import { exportCommand } from './export.js';

export const commands: Command[] = [
  demoCommand,
  runCommand,
  sweepCommand,
  workerCommand,
  queueStatusCommand,
  reportCommand,
  trainCommand,
  generateCommand,
  evaluateCommand,
  validateCommand,
  configShowCommand,
  trackingFlushCommand,
  sandboxDoctorCommand,
  sandboxRunCommand,
  dataImportGecCommand,
  dataSynthCommand,
  tokenizerTrainCommand,
  tokenizerEncodeCommand,
  timedbBuildCommand,
  timedbImportCommand,
  timedbTrainCommand,
  predictTimeCommand,
  checkpointInspectCommand,
  exportCommand,
];
