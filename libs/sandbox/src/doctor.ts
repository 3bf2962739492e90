/**
 * `ecode sandbox doctor`: checks that this host can run the sandbox and that every limit is
 * enforced, by running small probe programs. Each row says ok / FAIL / missing and why.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { findBwrap, findPython, findValgrind, MissingToolError } from './host.js';
import { Sandbox } from './sandbox.js';
import type { SandboxJob, Verdict } from './types.js';

export interface DoctorRow {
  check: string;
  status: 'ok' | 'FAIL' | 'missing' | 'skipped';
  detail: string;
}

function tool(check: string, fn: () => string): DoctorRow {
  try {
    return { check, status: 'ok', detail: fn() };
  } catch (e) {
    return { check, status: e instanceof MissingToolError ? 'missing' : 'FAIL', detail: (e as Error).message };
  }
}

function version(bin: string, args: string[]): string {
  const r = spawnSync(bin, args, { encoding: 'utf8', env: {} });
  return (r.stdout || r.stderr || '').trim().split('\n')[0];
}

interface Probe {
  check: string;
  code: string;
  expect: Verdict;
  output?: string;
  /** Extra condition on stdout. */
  stdoutOk?: (s: string) => boolean;
  detailOk?: (d: string) => boolean;
}

export async function runDoctor(opts: { pythonPath?: string } = {}): Promise<DoctorRow[]> {
  const rows: DoctorRow[] = [];
  rows.push(tool('bubblewrap', () => `${findBwrap()} (${version('bwrap', ['--version'])})`));
  rows.push(
    tool('python3', () => {
      const p = findPython(opts.pythonPath);
      return `${p.path} ${p.version}, stdlib ${p.stdlib}`;
    }),
  );
  rows.push(
    tool('valgrind (instruction counts)', () => {
      const v = findValgrind();
      return `${v.bin} (${version(v.bin, ['--version'])})`;
    }),
  );
  const asRoot = process.getuid?.() === 0;
  rows.push({
    check: 'judge uid',
    status: 'ok',
    detail: asRoot
      ? 'root: sandboxes run as uid 61000+slot (RLIMIT_NPROC binds)'
      : `uid ${process.getuid?.()}: sandboxes run as this uid`,
  });
  if (rows.slice(0, 2).some((r) => r.status !== 'ok')) {
    rows.push({ check: 'sandbox probes', status: 'skipped', detail: 'bubblewrap and python3 are needed first' });
    return rows;
  }
  const server = createServer((s) => s.end('x'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const limits = {
    cpuSeconds: 1,
    memoryMb: 256,
    wallTimeoutSeconds: 6,
    maxProcesses: 16,
    outputLimitKb: 64,
    fileSizeMb: 4,
    concurrency: 2,
  };
  const probes: Probe[] = [
    { check: 'runs a program', code: 'print(6 * 7)', expect: 'pass', output: '42' },
    {
      check: 'uid mapping (nobody inside)',
      code: 'import os\nprint(os.getuid(), os.getgid())',
      expect: 'pass',
      output: '65534 65534',
    },
    { check: 'limit: CPU seconds', code: 'while True: pass', expect: 'timeout', detailOk: (d) => d === 'CPU limit' },
    { check: 'limit: wall time', code: 'import time\ntime.sleep(60)', expect: 'timeout' },
    { check: 'limit: address space', code: 'x = bytearray(2 * 1024 ** 3)', expect: 'memory-limit' },
    { check: 'limit: file size', code: "open('/tmp/f', 'wb').write(b'x' * (8 * 2 ** 20))", expect: 'runtime-error' },
    {
      check: 'limit: processes',
      code: 'import os, time\nn = 0\nfor _ in range(100):\n    try:\n        if os.fork() == 0:\n            time.sleep(30); os._exit(0)\n        n += 1\n    except OSError:\n        break\nprint(n)',
      expect: 'wrong-answer',
      stdoutOk: (s) => Number(s) < limits.maxProcesses,
    },
    { check: 'limit: output', code: "while True: print('x' * 1000)", expect: 'runtime-error' },
    {
      check: 'read-only root, no host files',
      code: "import os\nprint(sorted(os.listdir('/')), os.path.exists('/etc'))",
      expect: 'wrong-answer',
      stdoutOk: (s) => !s.includes("'etc'") && !s.includes("'root'") && s.endsWith('False'),
    },
    {
      check: 'no network (127.0.0.1 listener)',
      code: `import socket\ntry:\n    socket.create_connection(('127.0.0.1', ${port}), timeout=1); print('CONNECTED')\nexcept Exception as e:\n    print(type(e).__name__)`,
      expect: 'pass',
      output: 'ConnectionRefusedError',
    },
    {
      check: 'empty environment',
      code: "import os\nprint(' '.join(sorted(os.environ)))",
      expect: 'pass',
      output: 'LANG PATH PWD PYTHONDONTWRITEBYTECODE PYTHONHASHSEED PYTHONIOENCODING',
    },
  ];
  let sb: Sandbox | undefined;
  try {
    sb = new Sandbox(limits, { pythonPath: opts.pythonPath });
    rows.push({ check: 'python in the sandbox', status: 'ok', detail: sb.host.python.version });
    const jobs: SandboxJob[] = probes.map((p) => ({ code: p.code, test: { input: '', output: p.output ?? '' } }));
    const got: Array<{ verdict: Verdict; stdout: string; detail?: string }> = [];
    for await (const { jobIndex, result } of sb.judgeJobs(jobs)) got[jobIndex] = result;
    probes.forEach((p, i) => {
      const g = got[i];
      const out = g.stdout.trim();
      const ok =
        g.verdict === p.expect && (!p.stdoutOk || p.stdoutOk(out)) && (!p.detailOk || p.detailOk(g.detail ?? ''));
      rows.push({
        check: p.check,
        status: ok ? 'ok' : 'FAIL',
        detail: `${g.verdict}${g.detail ? ` (${g.detail.slice(0, 80)})` : ''}${out ? `: ${out.slice(0, 80)}` : ''}`,
      });
    });
  } catch (e) {
    rows.push({ check: 'sandbox probes', status: 'FAIL', detail: (e as Error).message });
  } finally {
    await sb?.close();
    server.close();
  }
  return rows;
}

export function formatDoctorTable(rows: DoctorRow[]): string {
  const w1 = Math.max(5, ...rows.map((r) => r.check.length));
  const w2 = Math.max(6, ...rows.map((r) => r.status.length));
  const line = (a: string, b: string, c: string) => `${a.padEnd(w1)}  ${b.padEnd(w2)}  ${c}`;
  return [
    line('check', 'status', 'detail'),
    line('-'.repeat(w1), '-'.repeat(w2), '------'),
    ...rows.map((r) => line(r.check, r.status, r.detail)),
  ].join('\n');
}
