/** Shared by the tests: the fixtures folder, used as the cwd so that file names print short. */
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
