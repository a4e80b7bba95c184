#!/usr/bin/env python3
"""Boots the stock 64-bit kernel (corenet64_smp_defconfig) on an e5500 from
examples/ppce500-e5500.yaml and checks the console against what the same
images print on QEMU (`qemu-system-ppc64 -M ppce500 -cpu e5500`): kernel
banner, init banner, the e5500 and the board in /proc/cpuinfo, every CPU
online, power-off, exit status 0.

Variants: up (1 CPU), smp2 (--set cpus=2).

The images come from out/guest64/ (scripts/build-guest64). Exit 77 (skip)
when they are missing.
"""
import argparse
import os
import re
import subprocess
import sys

# In order, as QEMU's console shows them.
MARKERS = [
    "Linux version 6.1",
    "VMCOMPOSE-GUEST: init started",
    "VMCOMPOSE-GUEST: /proc/cpuinfo: cpu\t\t: e5500",
    "VMCOMPOSE-GUEST: /proc/cpuinfo: platform\t: QEMU e500",
    "VMCOMPOSE-GUEST: powering off (method: poweroff)",
    "reboot: Power down",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vmcompose", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--variant", default="up")
    ap.add_argument("--timeout", type=int, default=400)
    args = ap.parse_args()
    guest = os.path.join(args.source, "out", "guest64")
    if not all(os.path.exists(os.path.join(guest, f)) for f in ("vmlinux", "initramfs.cpio")):
        print("skipped: no 64-bit Linux guest (run scripts/build-guest64)")
        return 77
    cpus = 2 if args.variant == "smp2" else 1
    cmd = [args.vmcompose, "up", os.path.join(args.source, "examples", "ppce500-e5500.yaml"),
           "--set", f"kernel={guest}/vmlinux", "--set", f"initrd={guest}/initramfs.cpio",
           "--set", f"cpus={cpus}", "--timeout", str(args.timeout)]
    run = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=args.timeout + 60)
    console = run.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    problems = []
    pos = 0
    for marker in MARKERS:
        i = console.find(marker, pos)
        if i < 0:
            problems.append(f"missing (in order): {marker!r}")
        else:
            pos = i
    online = len(re.findall(r"^VMCOMPOSE-GUEST: /proc/cpuinfo: processor\s*:", console, re.M))
    if online != cpus:
        problems.append(f"/proc/cpuinfo lists {online} processors, expected {cpus}")
    if run.returncode != 0:
        problems.append(f"exit status {run.returncode}, expected 0; stderr: "
                        + run.stderr.decode("utf-8", "replace")[-2000:])
    if problems:
        print("console tail:\n" + "\n".join(console.splitlines()[-40:]))
        for p in problems:
            print("FAIL:", p)
        return 1
    print(f"64-bit Linux {args.variant}: all {len(MARKERS)} markers in order, {cpus} CPU(s), exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
