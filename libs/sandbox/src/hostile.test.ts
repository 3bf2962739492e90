/**
 * Hostile programs (issue 4, "Done when"): each is contained with its expected verdict, the judge
 * keeps running and the host's files are unchanged afterwards. Small limits keep this fast.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from './sandbox.js';
import type { SandboxJob, TestResult, Verdict } from './types.js';
import { hasBwrap } from './testing.js';

const PROJECT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const SECRET = `ecode-secret-${process.pid}`;
/** Own uids for these tests, so that counting leftover processes sees no other test file's sandboxes. */
const UID_BASE = { pool: 62000, strict: 62100 } as const;
const asRoot = process.getuid?.() === 0;

/** Host processes whose real uid is `uid`. */
function processesOf(uid: number): number {
  let n = 0;
  for (const pid of readdirSync('/proc').filter((f) => /^\d+$/.test(f))) {
    try {
      const line = readFileSync(`/proc/${pid}/status`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith('Uid:'));
      if (line && Number(line.split(/\s+/)[1]) === uid) n++;
    } catch {
      // the process ended meanwhile
    }
  }
  return n;
}

interface Hostile {
  name: string;
  code: string;
  input?: string;
  output: string;
  verdict: Verdict;
  /** Extra check on the result. */
  check?: (r: TestResult) => void;
}

describe.skipIf(!hasBwrap()).each(['pool', 'strict'] as const)('hostile programs are contained (%s mode)', (mode) => {
  let sb: Sandbox;
  let server: Server;
  let port = 0;
  let connections = 0;
  let canaryDir: string;
  let canary: string;
  let before: { canary: string; canaryMtime: number; hostTmp: string[]; shadow: number };

  const snapshot = () => ({
    canary: createHash('sha256').update(readFileSync(canary)).digest('hex'),
    canaryMtime: statSync(canary).mtimeMs,
    hostTmp: readdirSync(tmpdir()).filter((f) => /^pwned|^big|^fill/.test(f)),
    shadow: existsSync('/etc/shadow') ? statSync('/etc/shadow').mtimeMs : 0,
  });

  beforeAll(async () => {
    process.env.ECODE_TEST_SECRET = SECRET; // the judge's environment must not reach the sandbox
    canaryDir = mkdtempSync(join(tmpdir(), 'ecode-sbx-canary-'));
    canary = join(canaryDir, 'canary.txt');
    writeFileSync(canary, 'do not touch\n');
    server = createServer((s) => {
      connections++;
      s.end('hello-from-outside');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
    before = snapshot();
    sb = new Sandbox(
      {
        mode,
        concurrency: 2,
        cpuSeconds: 1,
        memoryMb: 256,
        wallTimeoutSeconds: 2,
        maxProcesses: 16,
        outputLimitKb: 64,
        fileSizeMb: 16,
      },
      { uidBase: UID_BASE[mode] },
    );
  });

  afterAll(async () => {
    await sb?.close();
    server?.close();
    delete process.env.ECODE_TEST_SECRET;
    if (canaryDir) rmSync(canaryDir, { recursive: true, force: true });
  });

  const tryOpen = (paths: string[]) =>
    `import os\nfor p in ${JSON.stringify(paths)}:\n    try:\n        open(p).read(); print('READ', p)\n    except Exception as e:\n        print(type(e).__name__)\n` +
    `    try:\n        os.listdir(p); print('LISTED', p)\n    except Exception as e:\n        print(type(e).__name__)\n`;

  const hostiles = (): Hostile[] => [
    {
      name: 'fork bomb',
      code: 'import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n',
      output: '',
      verdict: 'timeout',
    },
    {
      name: 'fork count bounded by maxProcesses',
      code: 'import os, time\nn = 0\nfor _ in range(200):\n    try:\n        if os.fork() == 0:\n            time.sleep(30)\n            os._exit(0)\n        n += 1\n    except OSError:\n        break\nprint(n < 16)\n',
      output: 'True',
      verdict: 'pass',
    },
    {
      name: '8 GB allocation',
      code: 'x = bytearray(8 * 1024 ** 3)\nprint(len(x))\n',
      output: '',
      verdict: 'memory-limit',
    },
    { name: 'infinite loop', code: 'while True:\n    pass\n', output: '', verdict: 'timeout' },
    {
      name: 'sleeping forever (and a daemonized grandchild)',
      code: 'import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(10 ** 6)\ntime.sleep(10 ** 6)\n',
      output: '',
      verdict: 'timeout',
    },
    {
      name: '10 GB file write',
      code: "f = open('/tmp/big', 'wb')\nchunk = b'x' * 2 ** 20\nfor _ in range(10 * 1024):\n    f.write(chunk)\n",
      output: '',
      verdict: 'runtime-error',
      check: (r) => expect(r.stderr).toMatch(/File too large|No space left/),
    },
    {
      name: 'reading /etc/shadow, the project folder and the home folder',
      code: tryOpen(['/etc/shadow', join(PROJECT, 'package.json'), PROJECT, homedir(), canary]),
      output: Array(10).fill('FileNotFoundError').join('\n'),
      verdict: 'pass',
    },
    {
      name: 'connecting to a listener on 127.0.0.1 opened outside',
      code: `import socket\ntry:\n    s = socket.create_connection(('127.0.0.1', ${port}), timeout=1)\n    print('CONNECTED', s.recv(100))\nexcept Exception as e:\n    print(type(e).__name__)\n`,
      output: 'ConnectionRefusedError',
      verdict: 'pass',
    },
    {
      name: 'spawning a shell',
      code: "import os, subprocess\nprint(os.system('echo hi'))\nfor cmd in (['/bin/sh', '-c', 'echo hi'], ['sh', '-c', 'echo hi'], ['bash']):\n    try:\n        subprocess.run(cmd); print('RAN')\n    except Exception as e:\n        print(type(e).__name__)\n",
      output: '32512\nFileNotFoundError\nFileNotFoundError\nFileNotFoundError',
      verdict: 'pass',
    },
    {
      name: 'killing the worker (pid 1, its parent) and the judge',
      code: `import os, signal\nfor pid in (os.getppid(), 1, ${process.pid}):\n    try:\n        os.kill(pid, signal.SIGKILL)\n    except Exception as e:\n        print(type(e).__name__)\nprint('alive', os.getppid())\n`,
      output: 'ProcessLookupError\nalive 1',
      verdict: 'pass',
    },
    {
      name: 'flooding stdout',
      code: "while True:\n    print('x' * 1000)\n",
      output: '',
      verdict: 'runtime-error',
      check: (r) => expect(r.detail).toBe('output limit exceeded'),
    },
    {
      name: 'filling /dev/shm and /tmp',
      code:
        "import errno\ndef fill(prefix):\n    i = 0\n    try:\n        while True:\n            with open('%s%d' % (prefix, i), 'wb') as f:\n                for _ in range(8):\n                    f.write(b'x' * 2 ** 20)\n            i += 1\n    except OSError as e:\n        return errno.errorcode[e.errno]\n" +
        "print(fill('/dev/shm/fill'), fill('/tmp/fill'))\n",
      output: 'ENOSPC ENOSPC',
      verdict: 'pass',
    },
    {
      name: 'reading the environment for secrets',
      code: "import os\nprint(' '.join(sorted(os.environ)))\nfor p in ('/proc/1/environ', '/proc/self/environ'):\n    try:\n        print(open(p).read().replace('\\0', ' ').strip() or '-')\n    except Exception as e:\n        print(type(e).__name__)\n",
      output: 'LANG PATH PWD PYTHONDONTWRITEBYTECODE PYTHONHASHSEED PYTHONIOENCODING',
      verdict: 'wrong-answer', // the environ files are printed too; the check below is the point
      check: (r) => {
        expect(r.stdout).not.toContain(SECRET);
        expect(r.stdout.split('\n')[0]).toBe('LANG PATH PWD PYTHONDONTWRITEBYTECODE PYTHONHASHSEED PYTHONIOENCODING');
      },
    },
  ];

  it('gives each hostile program its expected verdict, judge alive, host unchanged', async () => {
    const list = hostiles();
    const jobs: SandboxJob[] = list.map((h) => ({ code: h.code, test: { input: h.input ?? '', output: h.output } }));
    const got: TestResult[] = [];
    for await (const { jobIndex, result } of sb.judgeJobs(jobs)) got[jobIndex] = result;
    const summary = list.map((h, i) => `${h.name}: ${got[i].verdict}${got[i].detail ? ` (${got[i].detail})` : ''}`);
    for (let i = 0; i < list.length; i++) {
      expect(
        `${list[i].name}: ${got[i].verdict}`,
        summary.join('\n') + `\nstdout: ${got[i].stdout.slice(0, 300)}\nstderr: ${got[i].stderr.slice(-300)}`,
      ).toBe(`${list[i].name}: ${list[i].verdict}`);
      list[i].check?.(got[i]);
    }
    expect(connections).toBe(0);
    // the judge still works: a plain program passes afterwards, on every slot
    const after = await sb.judge('print(sum(map(int, input().split())))', [
      { input: '1 2', output: '3' },
      { input: '2 2', output: '4' },
      { input: '3 2', output: '5' },
    ]);
    expect(after.allPass).toBe(true);
    expect(snapshot()).toEqual(before);
    if (asRoot) {
      // no fork-bomb child, sleeper or daemonized grandchild survived: only each slot's bwrap + launcher
      const allowed = mode === 'pool' ? 2 : 0;
      const count = () => processesOf(UID_BASE[mode]) + processesOf(UID_BASE[mode] + 1);
      for (let i = 0; i < 20 && count() > 2 * allowed; i++) await new Promise((r) => setTimeout(r, 100));
      expect(count()).toBeLessThanOrEqual(2 * allowed);
    }
  });
});

describe.skipIf(!hasBwrap())('pool workers', () => {
  it('monkey-patched builtins do not poison later tests in the same worker, and /tmp is fresh', async () => {
    const one = new Sandbox({ concurrency: 1, cpuSeconds: 1, memoryMb: 256, wallTimeoutSeconds: 2 });
    try {
      const poison =
        "import builtins, sys, os\nbuiltins.print = lambda *a, **k: None\nbuiltins.int = str\nsys.setrecursionlimit(50)\nopen('/tmp/left-behind', 'w').write('x')\nimport math\nmath.sqrt = lambda x: 0\n";
      const r1 = await one.judge(poison, [{ input: '', output: '' }]);
      expect(r1.results[0].verdict).toBe('pass');
      const pid = one.workers.workerOf(0)?.hostPid;
      const check =
        "import os, math, sys\nprint(int('2') + 1, math.sqrt(16), sys.getrecursionlimit() > 50, os.listdir('/tmp'))\n";
      const r2 = await one.judge(check, [{ input: '', output: '3 4.0 True []' }]);
      expect(r2.results[0].stdout).toBe('3 4.0 True []\n');
      expect(one.workers.workerOf(0)?.hostPid).toBe(pid); // same worker: the fork gave a fresh state
    } finally {
      await one.close();
    }
  });

  it('a test that takes its worker down is a runtime error, and the worker is restarted', async () => {
    const one = new Sandbox({ concurrency: 1, cpuSeconds: 2, memoryMb: 256, wallTimeoutSeconds: 3 });
    try {
      await one.judge('print(1)', [{ input: '', output: '1' }]);
      const w = one.workers.workerOf(0)!;
      setTimeout(() => w.kill(), 300); // e.g. the kernel's OOM killer taking the sandbox down
      const r = await one.judge('import time\ntime.sleep(2)\nprint(1)', [{ input: '', output: '1' }]);
      expect(r.results[0]).toMatchObject({ verdict: 'runtime-error', workerRestarted: true });
      const again = await one.judge('print(1)', [{ input: '', output: '1' }]);
      expect(again.allPass).toBe(true);
      expect(one.workers.workerOf(0)?.hostPid).not.toBe(w.hostPid);
    } finally {
      await one.close();
    }
  });
});
