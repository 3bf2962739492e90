/** Helpers for this lib's tests: whether the host can run sandboxes at all. */
import { findBwrap, findValgrind } from './host.js';

export function hasBwrap(): boolean {
  try {
    findBwrap();
    return true;
  } catch {
    console.warn('@ecode/sandbox tests: bubblewrap is missing (apt-get install -y bubblewrap); sandbox tests skipped');
    return false;
  }
}

export function hasValgrind(): boolean {
  try {
    findValgrind();
    return true;
  } catch {
    console.warn(
      '@ecode/sandbox tests: valgrind is missing (apt-get install -y valgrind); instruction-count tests skipped',
    );
    return false;
  }
}
