#!/usr/bin/env python3
"""Runs one guest test program on vmcompose and compares its console output
with the output QEMU produced for it (expected/NAME.txt).

usage: run_guest.py VMCOMPOSE MACHINE.yaml PROGRAM.elf EXPECTED.txt
"""
import subprocess
import sys


def normalise(text: str) -> list[str]:
    return [line.rstrip("\r") for line in text.replace("\r\n", "\n").split("\n")]


def main() -> int:
    vmcompose, machine, elf, expected_path = sys.argv[1:5]
    cmd = [vmcompose, "up", machine, "--set", f"kernel={elf}", "--timeout", "60"]
    run = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=110)
    got = normalise(run.stdout.decode("utf-8", "replace"))
    with open(expected_path, encoding="utf-8") as f:
        want = normalise(f.read())
    if run.returncode != 0:
        print(f"vmcompose exited with status {run.returncode}")
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
    if run.returncode != 0:
        return 1
    print(f"{len(want)} lines match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
