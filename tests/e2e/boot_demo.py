#!/usr/bin/env python3
"""Boots the default example (examples/hello.yaml: the bare-metal demo) and
checks its console in order and its exit status.

usage: boot_demo.py VMCOMPOSE SOURCE_DIR
"""
import subprocess
import sys

MARKERS = [
    "Hello from the vmcompose bare-metal demo (e500mc)",
    "demo: console serial@4500 at fe0004500",
    "demo: timebase 400000000 Hz",
    "demo: mpic pic@40000 at fe0040000",
    "demo: power-off on gpio pin 0",
    "demo: decrementer: 5 ticks",
    "demo: mpic: external interrupt, EPR vector 0x42 (IPI 0) ok",
    "at f00000000, irq 5: virtio version 2, device 2 (block)",
    "|vmcompose demo d|",
    "device 4 (entropy)",
    "demo: 2 virtio-mmio device(s) found",
    "demo: powering off",
]


def boot_and_check(command, markers, env=None):
    """Runs `command`, checks that its stdout holds `markers` in order and
    that it exits 0; prints what it found. Returns the exit status for the test."""
    run = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=90,
                         env=env)
    out = run.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    pos = 0
    for marker in markers:
        i = out.find(marker, pos)
        if i < 0:
            print(out[-3000:] + "\n" + run.stderr.decode()[-2000:])
            print(f"FAIL: missing (in order): {marker!r}")
            return 1
        pos = i
    if run.returncode != 0:
        print(f"FAIL: exit status {run.returncode}")
        return 1
    print(f"demo: all {len(markers)} markers in order, exit 0")
    return 0


def main():
    vmc, src = sys.argv[1], sys.argv[2]
    return boot_and_check([vmc, "up", f"{src}/examples/hello.yaml", "--timeout", "60"], MARKERS)


if __name__ == "__main__":
    sys.exit(main())
