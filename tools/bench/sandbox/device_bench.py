"""Throughput of the sandbox layer (bwrap + launcher.py) driven from Python, for hosts without
Node.js (e.g. a quiet machine to compare against the shared, loaded build VM). Same layout and
protocol as libs/sandbox (src/layout.ts, python/launcher.py); Node's own per-test overhead is not
included. Prints JSON.

Usage: python3 tools/bench/sandbox/device_bench.py [--bwrap PATH] [--pool N] [--strict N] [--slots K]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LAUNCHER = os.path.join(HERE, "..", "..", "..", "libs", "sandbox", "python", "launcher.py")
TRIVIAL = "a, b = map(int, input().split())\nprint(a + b)\n"
MEASURED = "n = int(input())\nd = {}\nfor i in range(n):\n    d[i % 1000] = d.get(i % 1000, 0) + i * i\nprint(sum(d.values()) % 1000003)\n"


def layout(bwrap, python, stdlib, launcher):
    a = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv", "--unshare-user",
         "--uid", "65534", "--gid", "65534", "--disable-userns", "--cap-drop", "ALL",
         "--ro-bind", python, python, "--ro-bind", stdlib, stdlib]
    seen = set()
    for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/lib/x86_64-linux-gnu", "/lib64"):
        r = os.path.realpath(d)
        if os.path.isdir(r) and r not in seen:
            seen.add(r)
            a += ["--ro-bind", r, r]
    prefix_lib = os.path.join(os.path.dirname(os.path.dirname(python)), "lib")
    if not prefix_lib.startswith("/usr/") and os.path.isdir(prefix_lib):
        a += ["--ro-bind", prefix_lib, prefix_lib]
    for link, target in (("/lib", "usr/lib"), ("/lib64", "usr/lib64")):
        if os.path.islink(link) and os.path.realpath(link) in seen | {"/usr/lib"}:
            a += ["--symlink", target, link]
    a += ["--size", str(64 << 20), "--tmpfs", "/tmp", "--dev", "/dev", "--size", str(1 << 20), "--tmpfs", "/dev/shm",
          "--proc", "/proc", "--ro-bind", launcher, "/sandbox/launcher.py", "--chdir", "/tmp",
          "--setenv", "PATH", "/usr/bin", "--setenv", "PYTHONHASHSEED", "0", "--setenv", "LANG", "C.UTF-8",
          "--remount-ro", "/", "--remount-ro", "/dev", "--as-pid-1", python, "-s", "/sandbox/launcher.py", "serve"]
    return a


def req(i):
    return {"id": i, "code": TRIVIAL, "input": "%d 1\n" % i, "kind": "stdio", "cpuSeconds": 2, "memoryMb": 256,
            "fileSizeMb": 16, "maxProcesses": 32, "outputLimitBytes": 65536, "wallTimeoutMs": 5000, "prelude": True}


class Worker:
    def __init__(self, argv, env, uid):
        kw = {"user": uid, "group": uid} if uid is not None else {}
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env=env, **kw)
        line = self.p.stdout.readline()
        if not line.startswith(b'{"ready"'):
            raise RuntimeError("worker did not start: %r %r" % (line, self.p.stderr.read()[:2000]))

    def run(self, r):
        self.p.stdin.write((json.dumps(r) + "\n").encode())
        self.p.stdin.flush()
        return json.loads(self.p.stdout.readline())

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def bench(mode, n, slots, argv, env, uid_base):
    ok = [0] * slots
    cpu = []

    def slot(k):
        w = Worker(argv, env, uid_base + k if uid_base is not None else None) if mode == "pool" else None
        for i in range(k, n, slots):
            if mode == "strict":
                w = Worker(argv, env, uid_base + k if uid_base is not None else None)
            rep = w.run(req(i))
            cpu.append(rep.get("cpuUs", 0))
            ok[k] += rep.get("stdout", "").strip() == str(i + 1)
            if mode == "strict":
                w.close()  # EOF, as SandboxPool does in strict mode
        if mode == "pool":
            w.close()

    # warm-up
    slot_threads = [threading.Thread(target=slot, args=(k,)) for k in range(slots)]
    t0 = time.perf_counter()
    for t in slot_threads:
        t.start()
    for t in slot_threads:
        t.join()
    s = time.perf_counter() - t0
    cpu.sort()
    return {"mode": mode, "tests": n, "slots": slots, "seconds": round(s, 3), "testsPerSecond": round(n / s, 1),
            "passed": sum(ok), "medianTestCpuMs": round(cpu[len(cpu) // 2] / 1000, 2)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bwrap", default=shutil.which("bwrap") or "bwrap")
    ap.add_argument("--python", default="/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable)
    ap.add_argument("--pool", type=int, default=3000)
    ap.add_argument("--strict", type=int, default=300)
    ap.add_argument("--slots", type=int, default=2)
    ap.add_argument("--loader", help="run bwrap through this ld.so with --library-path of its folder")
    o = ap.parse_args()
    python = os.path.realpath(o.python)
    stdlib = subprocess.check_output([python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], env={}).decode().strip()
    d = tempfile.mkdtemp(prefix="ecode-sbx-dev-")
    os.chmod(d, 0o755)
    launcher = os.path.join(d, "launcher.py")
    shutil.copy(LAUNCHER, launcher)
    os.chmod(launcher, 0o644)
    env = {}
    if os.environ.get("BWRAP_LD_LIBRARY_PATH"):
        env["LD_LIBRARY_PATH"] = os.environ["BWRAP_LD_LIBRARY_PATH"]
    uid_base = 61000 if os.getuid() == 0 else None
    argv = layout(o.bwrap, python, stdlib, launcher)
    if o.loader:
        argv = [o.loader, "--library-path", os.path.dirname(o.loader)] + argv
    out = {"python": python, "version": sys.version.split()[0], "cpus": os.cpu_count(), "loadavgBefore": os.getloadavg()}
    out["pool"] = bench("pool", o.pool, o.slots, argv, env, uid_base)
    out["strict"] = bench("strict", o.strict, o.slots, argv, env, uid_base)
    busy = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL)
    try:
        w = Worker(argv, env, uid_base)
        cpu = []
        for i in range(10):
            r = dict(req(i), code=MEASURED, input="30000")
            cpu.append(w.run(r)["cpuUs"])
        w.close()
    finally:
        busy.kill()
    mean = sum(cpu) / len(cpu)
    sd = (sum((c - mean) ** 2 for c in cpu) / (len(cpu) - 1)) ** 0.5
    out["cpuTimeOtherCoreBusy"] = {"runs": 10, "medianUs": sorted(cpu)[5], "min": min(cpu), "max": max(cpu), "cv": round(sd / mean, 4)}
    out["loadavgAfter"] = os.getloadavg()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
