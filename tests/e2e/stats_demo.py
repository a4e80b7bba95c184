#!/usr/bin/env python3
"""`vmcompose up --stats`: boots the bare-metal demo (examples/hello.yaml) and
checks the statistics it prints on stderr - as JSON at exit, as text at exit,
and on SIGUSR1 while a guest spins.

usage: stats_demo.py VMCOMPOSE SOURCE_DIR
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time


def json_lines(stderr):
    out = []
    for line in stderr.splitlines():
        line = line.strip()
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


def check_json_at_exit(vmc, src, problems):
    run = subprocess.run([vmc, "up", f"{src}/examples/hello.yaml", "--timeout", "60", "--stats=json"],
                         stdin=subprocess.DEVNULL, capture_output=True, timeout=90)
    stderr = run.stderr.decode("utf-8", "replace")
    if run.returncode != 0:
        problems.append(f"--stats=json: exit status {run.returncode}: {stderr[-1500:]}")
        return
    if "demo: powering off" not in run.stdout.decode("utf-8", "replace"):
        problems.append("--stats=json: the guest's console is missing from stdout")
    if "{" in run.stdout.decode("utf-8", "replace").split("demo: powering off")[-1]:
        problems.append("--stats=json: statistics leaked onto stdout")
    stats = json_lines(stderr)
    if len(stats) != 1:
        problems.append(f"--stats=json: expected one JSON object on stderr, got {len(stats)}")
        return
    s = stats[0]
    cpu = s["cpus"][0]
    checks = [
        (s["engine"] == "emu", "engine is emu"),
        (s["instructions"] > 10000, "instructions > 10000"),
        (s["instructions"] == sum(c["instructions"] for c in s["cpus"]), "total = sum over CPUs"),
        (s["guest-mips"] > 0, "guest MIPS > 0"),
        (0 < cpu["data-tlb"]["hit-rate"] <= 1, "data TLB hit rate in (0, 1]"),
        (cpu["data-tlb"]["fast"] + cpu["data-tlb"]["slow"] > 0, "data accesses counted"),
        (0 < cpu["fetch-tlb"]["hit-rate"] <= 1, "fetch TLB hit rate in (0, 1]"),
        (s["decoded-pages"]["decodes"] > 0, "decoded pages"),
        (s["decoded-pages"]["lookups"] >= s["decoded-pages"]["decodes"], "lookups >= decodes"),
        # The demo counts 5 decrementer ticks and takes one MPIC interrupt (IPI 0).
        (cpu["interrupts"].get("decrementer", 0) >= 5, "at least 5 decrementer interrupts"),
        (cpu["interrupts"].get("external", 0) >= 1, "an external interrupt"),
        (s["mmio"].get("serial0", {}).get("writes", 0) > 50, "UART writes for the console text"),
        (s["mmio"].get("mpic", {}).get("reads", 0) > 0, "MPIC reads"),
        (any(k.startswith("rng0") or k == "rng0" for k in s["mmio"]), "the entropy device's registers"),
        (s["idle-seconds"] >= 0, "idle time"),
        # The demo's loops run long enough to be translated to host code.
        (s["translation"]["blocks"] > 0, "translated blocks"),
        (0 < cpu["translated"] <= cpu["instructions"], "instructions run by translated code"),
    ]
    for ok, what in checks:
        if not ok:
            problems.append(f"--stats=json: expected {what}; got {json.dumps(s)[:2000]}")


def check_text_at_exit(vmc, src, problems):
    run = subprocess.run([vmc, "up", f"{src}/examples/hello.yaml", "--timeout", "60", "--stats"],
                         stdin=subprocess.DEVNULL, capture_output=True, timeout=90)
    stderr = run.stderr.decode("utf-8", "replace")
    for needle in ("guest MIPS", "data TLB fast path", "interrupt decrementer", "serial0"):
        if needle not in stderr:
            problems.append(f"--stats: {needle!r} missing from stderr: {stderr[-1500:]}")


def check_sigusr1(vmc, src, problems):
    with tempfile.TemporaryDirectory() as tmp:
        spin = os.path.join(tmp, "spin.bin")
        with open(spin, "wb") as f:
            f.write(bytes.fromhex("48000000"))  # b . : runs until the timeout
        proc = subprocess.Popen([vmc, "up", f"{src}/examples/hello.yaml", "--set", f"kernel={spin}",
                                 "--set", "kernel-format=raw", "--timeout", "4", "--stats=json"],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        time.sleep(1.5)
        proc.send_signal(signal.SIGUSR1)
        _, stderr = proc.communicate(timeout=60)
        stats = json_lines(stderr.decode("utf-8", "replace"))
        if proc.returncode != 5:
            problems.append(f"SIGUSR1: expected the timeout's exit status 5, got {proc.returncode}")
        if len(stats) != 2:
            problems.append(f"SIGUSR1: expected 2 JSON reports (signal, exit), got {len(stats)}: "
                            f"{stderr.decode()[-1500:]}")
        elif not 0 < stats[0]["instructions"] < stats[1]["instructions"]:
            problems.append("SIGUSR1: the report at exit should count more instructions than the "
                            f"one on the signal: {stats[0]['instructions']} vs {stats[1]['instructions']}")


def main():
    vmc, src = sys.argv[1], sys.argv[2]
    problems = []
    check_json_at_exit(vmc, src, problems)
    check_text_at_exit(vmc, src, problems)
    check_sigusr1(vmc, src, problems)
    for p in problems:
        print("FAIL:", p)
    if not problems:
        print("stats: JSON at exit, text at exit and SIGUSR1 reports all check out")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
