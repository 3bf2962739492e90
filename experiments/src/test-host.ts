/** For this package's tests: whether the host has bubblewrap, so that sandbox tests can run. */
import { existsSync } from 'node:fs';

export const hasBwrap = ['/usr/bin/bwrap', '/bin/bwrap', '/usr/local/bin/bwrap'].some((p) => existsSync(p));
