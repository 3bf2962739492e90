/**
 * Runs every run of an expanded sweep (train, generate, evaluate, track), skipping or resuming
 * runs by their hash. Placeholder: the sweep runner replaces this module.
 */
import type { Sweep } from '@ecode/config';
import type { CommandContext } from './cli.js';

export async function runSweep(sweep: Sweep, ctx: CommandContext): Promise<number> {
  void sweep;
  void ctx;
  throw new Error('the sweep runner is not built yet');
}
