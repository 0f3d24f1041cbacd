"""Set-up time (issue 16 item 6): `make run` on a fresh clone, then a second `make run`, each until the
server answers. Each output line of make is time-stamped, so the phases (apt, venv/pip, npm ci,
collectstatic, migrate, load_demo, serve) are the gaps between the commands make echoes (`starts_s`: when
each began; with JOBS=2, make's default, npm ci runs beside pip and collectstatic beside migrate and
load_demo, so there the gaps overlap — run with --jobs 1 for one phase after the other).

    .venv/bin/python benchmarks/setup_bench.py [--source .] [--port 8123] [--jobs 2] [--keep]

References measured in the same run, on the same clone: `pip install -e '.[dev]'` with nothing to do
(what a venv step costs at best), and `cp -r` of the files collectstatic collected (without WhiteNoise's
.gz/.br) — what collecting costs at best. `cpu_s` is the CPU time of make and everything it ran (the
load-independent figure: the machine is shared). Results also go to benchmarks/out/setup_results.json.
"""

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

# The first echoed command of each phase (make prints a recipe line before it runs it).
MARKERS = [
    ("venv/pip", "python3 -m venv"),
    ("npm ci", "npm ci"),
    ("collectstatic", "manage.py collectstatic"),
    ("migrate", "manage.py migrate"),
    ("load_demo", "manage.py load_demo"),
    ("serve", "调度平台已启动"),
]


def answered(port):
    try:
        # A refused connection fails at once; an accepted one may take a while (the first request imports
        # the views), and it counts when it answers.
        urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=120)
        return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def make_run(clone, port, env, jobs, timeout=600):
    """Run `make run PORT=port JOBS=jobs` until the server answers; the phases from the echoed commands."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        ["make", "run", f"PORT={port}", f"JOBS={jobs}"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    os.set_blocking(proc.stdout.fileno(), False)
    lines, buf, served = [], b"", None
    try:
        while time.perf_counter() - t0 < timeout:
            chunk = proc.stdout.read() or b""
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                lines.append((time.perf_counter() - t0, line.decode(errors="replace")))
            if proc.poll() is not None and not chunk:
                break
            if answered(port):
                served = time.perf_counter() - t0
                break
            time.sleep(0.1)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return served, phases(lines, served), lines


def phases(lines, end):
    starts = [(0.0, "apt")]
    for label, marker in MARKERS:
        hit = next((t for t, text in lines if marker in text), None)
        if hit is not None:
            starts.append((hit, label))
    starts.sort()
    out = {}
    last = end if end is not None else starts[-1][0]
    for (start, label), (stop, _) in zip(starts, starts[1:] + [(last, None)], strict=True):
        out[label] = round(stop - start, 2)
    return out


def timed(cmd, cwd):
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, shell=isinstance(cmd, str))
    return round(time.perf_counter() - t0, 2)


def static_census(root):
    files = [p for p in Path(root).rglob("*") if p.is_file()]
    plain = [p for p in files if p.suffix not in (".gz", ".br")]
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "uncompressed_files": len(plain),
        "uncompressed_bytes": sum(p.stat().st_size for p in plain),
    }, plain


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default=str(Path(__file__).resolve().parent.parent))
    ap.add_argument("--port", type=int, default=8123)
    ap.add_argument("--jobs", type=int, default=2, help="JOBS for make (the Makefile's default: 2)")
    ap.add_argument("--keep", action="store_true", help="leave the clone in place")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VIRTUAL_ENV", "MAKEFLAGS")}
    work = Path(tempfile.mkdtemp(prefix="setupbench-"))
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", args.source, str(clone)], check=True)
    result = {
        "source": args.source,
        "commit": subprocess.check_output(["git", "-C", str(clone), "rev-parse", "HEAD"], text=True).strip(),
    }
    for run in ("first", "second"):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        served, ph, lines = make_run(clone, args.port, env, args.jobs)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1)
        starts = {
            label: next((round(t, 2) for t, text in lines if marker in text), None)
            for label, marker in MARKERS
        }
        result[run] = {
            "served_s": served and round(served, 2),
            "phases_s": ph,
            "starts_s": starts,
            "cpu_s": cpu,
        }
        print(
            f"{run} make run: served after {served and round(served, 1)} s, {cpu} s CPU; phases {ph}",
            flush=True,
        )
        if served is None:
            print("\n".join(text for _, text in lines[-40:]))
            break
    census, plain = static_census(clone / "var" / "static")
    result["static"] = census
    # References: the bare copy of the collected files, pip with nothing to do.
    copy_src = work / "plain"
    for p in plain:
        dest = copy_src / p.relative_to(clone / "var" / "static")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, dest)
    result["ref_cp_r_s"] = timed(["cp", "-r", str(copy_src), str(work / "copy")], work)
    result["ref_pip_noop_s"] = timed(f"{clone}/.venv/bin/python -m pip install -q -e '.[dev]'", clone)
    result["uptime"] = subprocess.check_output(["uptime"], text=True).strip()
    print(json.dumps(result, indent=1, ensure_ascii=False))
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "setup_results.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"clone kept in {clone}", file=sys.stderr)


if __name__ == "__main__":
    main()
