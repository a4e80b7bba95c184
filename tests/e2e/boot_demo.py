#!/usr/bin/env python3
"""Boots the default example (examples/hello.yaml: the bare-metal demo) and
checks its console in order and its exit status.

usage: boot_demo.py VMCOMPOSE SOURCE_DIR
"""
import subprocess
import sys

MARKERS = [
    "Hello from the vmcompose bare-metal demo (e500mc)",
    "demo: decrementer: 5 ticks",
    "demo: mpic: external interrupt, EPR vector 0x42 (IPI 0) ok",
    "device 2 (block)",
    "|vmcompose demo d|",
    "device 4 (entropy)",
    "demo: 2 virtio-mmio device(s) found",
    "demo: powering off",
]


def main():
    vmc, src = sys.argv[1], sys.argv[2]
    run = subprocess.run([vmc, "up", f"{src}/examples/hello.yaml", "--timeout", "60"],
                         stdin=subprocess.DEVNULL, capture_output=True, timeout=90)
    out = run.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    pos = 0
    for marker in MARKERS:
        i = out.find(marker, pos)
        if i < 0:
            print(out[-3000:] + "\n" + run.stderr.decode()[-2000:])
            print(f"FAIL: missing (in order): {marker!r}")
            return 1
        pos = i
    if run.returncode != 0:
        print(f"FAIL: exit status {run.returncode}")
        return 1
    print(f"demo: all {len(MARKERS)} markers in order, exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
