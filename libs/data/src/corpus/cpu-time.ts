/**
 * CPU seconds of one real `python3` process running a program on one input: how the judge runs
 * programs (a process per run), unlike the verifier's in-process harness. Used to check that a
 * problem's slow solutions are measurably slower than its fast one on the large test.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonExecutable } from '../python.js';

const MEASURE_PY = String.raw`
import resource, subprocess, sys
prog, inp, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
best = None
out_path = prog + '.out'
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(inp, 'rb') as f, open(out_path, 'wb') as out:
        done = subprocess.run([sys.executable, prog], stdin=f, stdout=out, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        print('error %d' % done.returncode)
        sys.exit(0)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    best = cpu if best is None else min(best, cpu)
print(best)
`;

/**
 * The smallest CPU seconds of `runs` runs of `code` on `input` (each a fresh python3 process), and
 * what the last run printed.
 */
export async function processCpuSeconds(
  code: string,
  input: string,
  runs = 1,
): Promise<{ cpu: number; stdout: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ecode-cpu-'));
  try {
    const prog = join(dir, 'prog.py');
    const inp = join(dir, 'input.txt');
    await writeFile(prog, code);
    await writeFile(inp, input);
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(pythonExecutable(), ['-c', MEASURE_PY, prog, inp, String(runs)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(text.trim()));
    });
    const cpu = Number(out);
    if (!Number.isFinite(cpu)) throw new Error(`measuring the program failed: ${out || 'no output'}`);
    return { cpu, stdout: await readFile(`${prog}.out`, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
