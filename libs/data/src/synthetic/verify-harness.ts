/**
 * The Python side of generation-time verification (not the sandbox: it runs only programs this
 * generator wrote). One long-lived python3 process per worker reads jobs as JSON lines on stdin
 * and answers one JSON line per job. Each test runs with stdin/stdout bound to
 * temporary files (sys.stdin / sys.stdout replaced), under a CPU-time itimer, in the worker process
 * itself: forking a child per test cost 8-15 ms of CPU here, more than many solutions take. CPU
 * time per run is `time.process_time()` around the run (user + system of the worker).
 *
 * Job:    {"id": 1, "code": "...", "tests": [{"input": "...", "output": "..."}],
 *          "cpu_limit": 10, "repeat": 1, "min_cpu": 0, "check": true}
 * Answer: {"id": 1, "results": [{"ok": true, "cpu": [0.012], "wall": [0.013], "reason": ""}]}
 * A test runs `repeat` times, and more (up to 100x) until its CPU seconds add up to `min_cpu`.
 */
export const VERIFY_HARNESS_PY = String.raw`
import gc, io, json, os, signal, sys, tempfile, time

# Jobs and answers move to other descriptors, so that each run gets its input on fd 0 and its
# output on fd 1 as a real process would (input() checks isatty(0) on every call when fd 0 is
# its stdin, which is part of what makes it slow in real runs).
REAL_STDIN = os.fdopen(os.dup(0), 'r', encoding='utf-8')
REAL_STDOUT = os.fdopen(os.dup(1), 'w', encoding='utf-8')
REAL_STDERR = sys.stderr

class CpuTimeout(BaseException):
    pass

def on_prof(signum, frame):
    raise CpuTimeout()

signal.signal(signal.SIGPROF, on_prof)
sys.setrecursionlimit(20000)
WORK_DIR = tempfile.mkdtemp(prefix='ecode-verify-')
IN_PATH = os.path.join(WORK_DIR, 'stdin.txt')
OUT_PATH = os.path.join(WORK_DIR, 'stdout.txt')

def norm(text):
    rows = [r.rstrip() for r in text.replace('\r\n', '\n').split('\n')]
    while rows and rows[-1] == '':
        rows.pop()
    return rows

def run_once(code_obj, in_path, out_path, cpu_limit):
    fd = os.open(in_path, os.O_RDONLY)
    os.dup2(fd, 0)
    os.close(fd)
    fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.close(fd)
    stdin = open(0, 'r', encoding='utf-8', closefd=False)
    stdout = open(1, 'w', encoding='utf-8', closefd=False)
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, io.StringIO()
    err = ''
    gc.collect()
    wall_start = time.perf_counter()
    start = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, cpu_limit)
    try:
        exec(code_obj, {'__name__': '__main__', '__builtins__': __builtins__})
    except SystemExit as e:
        if e.code not in (None, 0):
            err = 'runtime error: exit %s' % (e.code,)
    except CpuTimeout:
        err = 'timeout'
    except BaseException as e:
        err = 'runtime error: %s: %s' % (type(e).__name__, str(e)[:200])
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        try:
            stdout.flush()
        except Exception:
            pass
        cpu = time.process_time() - start
        wall = time.perf_counter() - wall_start
        sys.stdin, sys.stdout, sys.stderr = REAL_STDIN, REAL_STDOUT, REAL_STDERR
        for f in (stdin, stdout):
            try:
                f.close()
            except Exception:
                pass
    with open(out_path, 'rb') as f:
        out = f.read(64 << 20)
    return out.decode('utf-8', 'replace'), cpu, wall, err

def handle(job):
    try:
        code_obj = compile(job['code'], '<solution>', 'exec')
    except SyntaxError as e:
        return [{'ok': False, 'cpu': [], 'wall': [], 'reason': 'syntax error: %s' % e} for _ in job['tests']]
    results = []
    for test in job['tests']:
        with open(IN_PATH, 'wb') as f:
            f.write(test['input'].encode('utf-8'))
        cpus, walls = [], []
        ok, reason = True, ''
        max_runs = max(1, job.get('repeat', 1))
        min_cpu = float(job.get('min_cpu', 0))
        while len(cpus) < max_runs or (sum(cpus) < min_cpu and len(cpus) < 100 * max_runs):
            out, cpu, wall, err = run_once(code_obj, IN_PATH, OUT_PATH, float(job.get('cpu_limit', 10)))
            cpus.append(round(cpu, 6))
            walls.append(round(wall, 6))
            if err:
                ok, reason = False, err
                break
            if job.get('check', True) and norm(out) != norm(test['output']):
                ok, reason = False, 'wrong answer'
                break
        results.append({'ok': ok, 'cpu': cpus, 'wall': walls, 'reason': reason})
    return results

def main():
    for line in REAL_STDIN:
        if not line.strip():
            continue
        job = json.loads(line)
        results = handle(job)
        REAL_STDOUT.write(json.dumps({'id': job['id'], 'results': results}) + '\n')
        REAL_STDOUT.flush()

try:
    main()
finally:
    for p in (IN_PATH, OUT_PATH):
        if os.path.exists(p):
            os.remove(p)
    os.rmdir(WORK_DIR)
`;
