/** Every idiom of the corpus, in a fixed order (splits and generation shuffle it with the seed). */
import type { Idiom } from '../types.js';
import { ALGORITHM_IDIOMS } from './algorithms.js';
import { INTERPRETER_IDIOMS } from './interpreter.js';
import { IO_STRUCTURE_IDIOMS } from './io-structures.js';

export const IDIOMS: Idiom[] = [...IO_STRUCTURE_IDIOMS, ...ALGORITHM_IDIOMS, ...INTERPRETER_IDIOMS];
