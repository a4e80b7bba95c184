#!/usr/bin/env python3
"""Runs one guest test program on vmcompose and compares its console output
with the output QEMU produced for it (expected/NAME.txt).

usage: run_guest.py VMCOMPOSE MACHINE.yaml PROGRAM.elf EXPECTED.txt
                    [--status N] [--lines K] [--run-under CMD] [-- VMCOMPOSE_ARGS...]
  --status N   the exit status vmcompose must end with (default 0)
  --lines K    the run must print exactly the first K lines of EXPECTED
               (a variant that ends earlier than QEMU's recording)
  --run-under CMD  run VMCOMPOSE through CMD (split like a shell would), e.g.
               "qemu-ppc -L /usr/powerpc-linux-gnu" for a cross-built vmcompose

Next to EXPECTED.txt, optional files: NAME.args (extra vmcompose arguments,
one a line, e.g. `--set` lines adding devices), NAME.status (the exit status
when --status is not given; 0 when absent) and NAME.deviations (see
apply_deviations). Hostile guests (hostile_*) use the first two: their
expected output is vmcompose's documented behaviour, not a QEMU recording.
"""
import argparse
import os
import shlex
import subprocess
import sys


def normalise(text: str) -> list[str]:
    return [line.rstrip("\r") for line in text.replace("\r\n", "\n").split("\n")]


def apply_deviations(want: list[str], path: str) -> list[str]:
    """NAME.deviations beside NAME.txt: pairs of "- QEMU's line" and "+ the
    ISA's line" where vmcompose deliberately differs from the recording."""
    if not os.path.exists(path):
        return want
    pairs, pending = [], None
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            if line.startswith("- "):
                pending = line[2:]
            elif line.startswith("+ ") and pending is not None:
                pairs.append((pending, line[2:]))
                pending = None
    for old, new in pairs:
        if old not in want:
            raise SystemExit(f"{path}: the recording has no line {old!r} (stale deviation?)")
        want = [new if w == old else w for w in want]
    return want


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("vmcompose")
    p.add_argument("machine")
    p.add_argument("elf")
    p.add_argument("expected")
    p.add_argument("--status", type=int)
    p.add_argument("--lines", type=int)
    p.add_argument("--run-under", default="")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = p.parse_args(argv[: len(argv) - len(extra) - (1 if extra else 0)])
    cmd = shlex.split(args.run_under) + [args.vmcompose, "up", args.machine,
                                         "--set", f"kernel={args.elf}", "--timeout", "60"]
    stem = os.path.splitext(args.expected)[0]
    if os.path.exists(stem + ".args"):
        with open(stem + ".args", encoding="utf-8") as f:
            cmd += [line.strip() for line in f if line.strip()]
    if args.status is None:
        args.status = 0
        if os.path.exists(stem + ".status"):
            with open(stem + ".status", encoding="utf-8") as f:
                args.status = int(f.read().strip())
    run = subprocess.run(cmd + extra, stdin=subprocess.DEVNULL, capture_output=True,
                         timeout=110)
    got = normalise(run.stdout.decode("utf-8", "replace"))
    with open(args.expected, encoding="utf-8") as f:
        want = normalise(f.read())
    want = apply_deviations(want, stem + ".deviations")
    if args.lines is not None:
        want = want[: args.lines] + [""]
    if run.returncode != args.status:
        print(f"vmcompose exited with status {run.returncode}, expected {args.status}")
        print(run.stderr.decode("utf-8", "replace")[-4000:])
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            print(f"first difference at line {i + 1}:")
            print(f"  expected (QEMU): {w}")
            print(f"  got (vmcompose): {g}")
            for j in range(max(0, i - 3), min(len(got), i + 4)):
                print(f"  {j + 1:5}: {got[j]}")
            return 1
    if len(got) != len(want):
        print(f"expected {len(want)} lines, got {len(got)}; last lines: {got[-3:]}")
        return 1
    if run.returncode != args.status:
        return 1
    print(f"{len(want)} lines match, exit status {run.returncode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
