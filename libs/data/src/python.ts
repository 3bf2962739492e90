/**
 * Where python3 lives: /usr/bin/python3 when present (system Python, fast start-up), otherwise
 * `python3` from PATH. `ECODE_PYTHON` overrides both.
 */
import { existsSync } from 'node:fs';

export function pythonExecutable(): string {
  const fromEnv = process.env.ECODE_PYTHON;
  if (fromEnv) return fromEnv;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}
