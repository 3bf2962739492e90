# ecode sandbox launcher: runs inside the bubblewrap sandbox (mounted read-only at
# /sandbox/launcher.py) under /usr/bin/python3 -s. It never runs untrusted code in its own
# process state: every test is a fork, so a program that poisons builtins, leaks threads or
# changes limits only harms its own child.
#
# Modes
#   serve            read JSON-line requests on fd 0, answer JSON lines on fd 1 (pool and strict)
#   once FILE KIND [FN] [LIMITS_JSON]
#                    run the program in FILE in this very process (no fork), stdin as the
#                    input; used under valgrind so that the instruction count covers exactly
#                    one interpreter running the program
#
# Request fields: id, code, input, kind ('stdio'|'call'), fnName, cpuSeconds, memoryMb,
# fileSizeMb, maxProcesses, outputLimitBytes, wallTimeoutMs, prelude (bool).
# Reply fields: id, compileError, exitCode, signal, cpuUs, wallUs, maxRssKb, timedOut,
# outputExceeded, stdout, stderr, exception, result, workerPid.
import builtins
import json
import os
import resource
import signal
import sys
import time

STDERR_KEEP = 4096
PRELUDE = """
import sys, time, itertools, collections, math, fractions, random, heapq
from itertools import accumulate, product, permutations, combinations
from collections import Counter, OrderedDict, deque, defaultdict, ChainMap
from functools import lru_cache
from math import sqrt, sin, cos, tan, ceil, fabs, floor, gcd, exp, log, log2
from typing import List, Tuple
from heapq import *
try:
    import numpy as np
except ImportError:
    pass
"""

_exit = os._exit
_write = os.write
_dumps = json.dumps


def prelude_globals():
    g = {"__name__": "__prelude__", "__builtins__": builtins}
    exec(compile(PRELUDE, "<prelude>", "exec"), g)
    return {k: v for k, v in g.items() if not k.startswith("__")}


PRELUDE_GLOBALS = None


def set_limits(req, in_valgrind=False):
    cpu = max(1, int(-(-float(req.get("cpuSeconds", 2)) // 1)))
    limits = [(resource.RLIMIT_CPU, cpu)]  # soft = hard: pid 1 ignores SIGXCPU
    if not in_valgrind:  # valgrind reserves address space and file descriptors of its own
        limits.append((resource.RLIMIT_AS, int(req.get("memoryMb", 256)) * 1024 * 1024))
        limits.append((resource.RLIMIT_NOFILE, 64))
    limits.append((resource.RLIMIT_FSIZE, int(req.get("fileSizeMb", 16)) * 1024 * 1024))
    limits.append((resource.RLIMIT_NPROC, int(req.get("maxProcesses", 32))))
    limits.append((resource.RLIMIT_CORE, 0))
    for which, value in limits:
        resource.setrlimit(which, (value, value))


def normalize(value):
    if isinstance(value, tuple):
        return [normalize(v) for v in value]
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, dict):
        return {str(k): normalize(v) for k, v in value.items()}
    return value


def run_program(code_obj, req, globals_base):
    """Runs the program in the current process. Returns (exit_code, status dict)."""
    status = {"exception": None, "result": None}
    exit_code = 0
    g = dict(globals_base)
    g["__name__"] = "__main__"
    g["__builtins__"] = builtins
    try:
        exec(code_obj, g)
        if req.get("kind") == "call":
            name = req.get("fnName") or ""
            fn = g.get(name)
            if fn is None and "Solution" in g:
                fn = getattr(g["Solution"](), name, None)
            if fn is None:
                raise NameError("function %r is not defined by the program" % name)
            args = json.loads(req.get("input") or "[]")
            if not isinstance(args, list):
                args = [args]
            status["result"] = _dumps(normalize(fn(*args)))
    except SystemExit as e:
        c = e.code
        if c is None:
            exit_code = 0
        elif isinstance(c, int):
            exit_code = c & 0xFF
        else:
            try:
                sys.stderr.write(str(c) + "\n")
            except BaseException:
                pass
            exit_code = 1
    except BaseException as e:  # noqa: B902 - the program may raise anything
        status["exception"] = type(e).__name__
        exit_code = 1
        try:
            import traceback

            traceback.print_exc()
        except BaseException:
            pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    return exit_code, status


def child(code_obj, req, fds, globals_base):
    in_r, out_w, err_w, st_w = fds
    try:
        os.dup2(in_r, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        if st_w != 3:
            os.dup2(st_w, 3)
            st_w = 3
        os.closerange(4, 65536)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        set_limits(req)
        sys.stdin = sys.__stdin__ = open(0, "r", encoding="utf-8", errors="replace", closefd=False)
        sys.stdout = sys.__stdout__ = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = sys.__stderr__ = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
        sys.argv = ["main.py"]
        os.chdir("/tmp")
    except BaseException as e:
        _write(st_w, _dumps({"exception": "LauncherSetupError: %s" % e}).encode())
        _exit(120)
    me = os.getpid()
    exit_code, status = run_program(code_obj, req, globals_base)
    if os.getpid() == me:  # a fork of the program must not report for it
        try:
            _write(st_w, _dumps(status).encode())
        except BaseException:
            pass
    _exit(exit_code)


def kill_all_others():
    """As pid 1 of the sandbox's pid namespace, kill every other process and reap them."""
    if os.getpid() != 1:  # never kill(-1) outside a sandbox: it would hit every process of the uid
        return
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return
        except InterruptedError:
            continue


def wipe(path):
    try:
        names = os.listdir(path)
    except OSError:
        return
    for name in names:
        p = os.path.join(path, name)
        try:
            if os.path.isdir(p) and not os.path.islink(p):
                wipe(p)
                os.rmdir(p)
            else:
                os.unlink(p)
        except OSError:
            pass


def run_test(req, code_cache):
    global PRELUDE_GLOBALS
    code = req.get("code", "")
    code_obj = code_cache.get(code)
    if code_obj is None:
        try:
            code_obj = compile(code, "main.py", "exec")
        except (SyntaxError, ValueError, OverflowError, MemoryError, RecursionError) as e:
            return {"compileError": "%s: %s" % (type(e).__name__, e)}
        if len(code_cache) > 64:
            code_cache.clear()
        code_cache[code] = code_obj
    globals_base = {}
    if req.get("prelude", True):
        if PRELUDE_GLOBALS is None:
            PRELUDE_GLOBALS = prelude_globals()
        globals_base = PRELUDE_GLOBALS

    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    st_r, st_w = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        child(code_obj, req, (in_r, out_w, err_w, st_w), globals_base)
        _exit(121)
    for fd in (in_r, out_w, err_w, st_w):
        os.close(fd)
    pidfd = os.pidfd_open(pid)
    limit = int(req.get("outputLimitBytes", 1 << 20))
    deadline = t0 + float(req.get("wallTimeoutMs", 5000)) / 1000.0
    data = (req.get("input") or "").encode("utf-8") if req.get("kind") != "call" else b""
    out, err, st = bytearray(), bytearray(), bytearray()
    timed_out = output_exceeded = False
    import selectors  # only the serving worker needs it (keeps `once` runs lean)

    sel = selectors.DefaultSelector()
    for fd in (in_w, out_r, err_r, st_r):
        os.set_blocking(fd, False)
    if data:
        sel.register(in_w, selectors.EVENT_WRITE)
    else:
        os.close(in_w)
    sel.register(out_r, selectors.EVENT_READ)
    sel.register(err_r, selectors.EVENT_READ)
    sel.register(st_r, selectors.EVENT_READ)
    sel.register(pidfd, selectors.EVENT_READ)
    written = 0
    alive = True
    while alive:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
            break
        for key, _ in sel.select(left):
            fd = key.fd
            if fd == pidfd:
                alive = False
            elif fd == in_w:
                try:
                    written += os.write(in_w, data[written : written + 65536])
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    written = len(data)
                if written >= len(data):
                    sel.unregister(in_w)
                    os.close(in_w)
            else:
                try:
                    chunk = os.read(fd, 65536)
                except (BlockingIOError, InterruptedError):
                    continue
                if not chunk:
                    sel.unregister(fd)
                    continue
                if fd == out_r:
                    out += chunk
                    if len(out) > limit:
                        output_exceeded = True
                        del out[limit:]
                        os.kill(pid, signal.SIGKILL)
                elif fd == err_r:
                    err += chunk
                    if len(err) > 2 * STDERR_KEEP:
                        del err[: len(err) - STDERR_KEEP]
                elif len(st) < (1 << 20):
                    st += chunk
        if output_exceeded:
            break
    _, wstatus, ru = os.wait4(pid, 0)
    t1 = time.monotonic()
    kill_all_others()
    # every writer is gone now: drain what is left in the pipes
    for fd, buf, cap in ((out_r, out, limit), (err_r, err, 1 << 30), (st_r, st, 1 << 20)):
        while True:
            try:
                chunk = os.read(fd, 65536)
            except (BlockingIOError, InterruptedError):
                break
            if not chunk:
                break
            if len(buf) < cap:
                buf += chunk[: cap - len(buf)]
            elif fd == out_r:
                output_exceeded = True
    sel.close()
    for fd in (out_r, err_r, st_r, pidfd):
        os.close(fd)
    if written < len(data):
        try:
            os.close(in_w)
        except OSError:
            pass
    wipe("/tmp")
    wipe("/dev/shm")
    try:
        status = json.loads(st.decode("utf-8", "replace")) if st else {}
    except ValueError:
        status = {"exception": "MalformedStatus"}
    if not isinstance(status, dict):
        status = {"exception": "MalformedStatus"}
    return {
        "exitCode": os.WEXITSTATUS(wstatus) if os.WIFEXITED(wstatus) else None,
        "signal": os.WTERMSIG(wstatus) if os.WIFSIGNALED(wstatus) else None,
        "cpuUs": int(round((ru.ru_utime + ru.ru_stime) * 1e6)),
        "wallUs": int(round((t1 - t0) * 1e6)),
        "maxRssKb": ru.ru_maxrss,
        "minorFaults": ru.ru_minflt,
        "timedOut": timed_out,
        "outputExceeded": output_exceeded,
        "stdout": out.decode("utf-8", "replace"),
        "stderr": err[-STDERR_KEEP:].decode("utf-8", "replace"),
        "exception": status.get("exception"),
        "result": status.get("result"),
    }


def serve():
    # pid 1 of a pid namespace only receives signals it handles: keep none installed
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:  # not dumpable: the programs (same uid) cannot ptrace the worker or read its memory
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)
    except BaseException:
        pass
    inp = os.fdopen(0, "rb", buffering=0)
    out = os.fdopen(1, "wb", buffering=0)
    code_cache = {}
    reader = open(inp.fileno(), "rb", closefd=False)
    out.write(b'{"ready":true,"workerPid":%d}\n' % os.getpid())
    for line in reader:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            reply = run_test(req, code_cache)
        except Exception as e:  # a broken request must not end the worker
            req = req if isinstance(req, dict) else {}
            reply = {"launcherError": "%s: %s" % (type(e).__name__, e)}
        reply["id"] = req.get("id")
        reply["workerPid"] = os.getpid()
        out.write(_dumps(reply).encode() + b"\n")


def once(path, kind, fn_name, limits_json):
    req = json.loads(limits_json) if limits_json else {}
    req["kind"] = kind
    req["fnName"] = fn_name
    with open(path, "r", encoding="utf-8") as f:
        code = f.read()
    if kind == "call":
        req["input"] = sys.stdin.read()
    globals_base = prelude_globals() if req.get("prelude", True) else {}
    try:
        code_obj = compile(code, "main.py", "exec")
    except (SyntaxError, ValueError) as e:
        sys.stderr.write("compile error: %s\n" % e)
        _exit(122)
    set_limits(req, in_valgrind=True)
    sys.argv = ["main.py"]
    exit_code, status = run_program(code_obj, req, globals_base)
    if status.get("result") is not None:
        sys.stdout.write(status["result"] + "\n")
        sys.stdout.flush()
    _exit(exit_code)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "serve"
    if mode == "serve":
        serve()
    elif mode == "once":
        a = sys.argv[2:] + ["", "", "", ""]
        once(a[0], a[1] or "stdio", a[2], a[3])
    else:
        sys.stderr.write("launcher.py: unknown mode %r (serve | once)\n" % mode)
        sys.exit(2)
