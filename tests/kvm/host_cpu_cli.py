#!/usr/bin/env python3
"""The host core's values under KVM, through the CLI: `show` says which cpu
values come from the host under KVM (text and JSON), `dtb --accel emu` is the
default tree, and `dtb --accel kvm` on a host without a powerpc device tree
fails naming where it looked.

usage: host_cpu_cli.py VMCOMPOSE SOURCE_DIR
"""
import json
import os
import subprocess
import sys


def run(vmc, *args):
    r = subprocess.run([vmc, *args], stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


def main():
    vmc, src = sys.argv[1], sys.argv[2]
    machine = os.path.join(src, "examples", "hello.yaml")
    problems = []

    status, out, err = run(vmc, "show", machine)
    text = out.decode("utf-8", "replace")
    if status != 0:
        problems.append(f"show: exit {status}: {err}")
    for wanted in ("# Under KVM", "cpu.pvr, cpu.clock-frequency and cpu.timebase-frequency above are",
                   "replaced by the host's", "/proc/device-tree/cpus/<cpu>/"):
        if wanted not in text:
            problems.append(f"show: missing {wanted!r}")

    status, out, err = run(vmc, "show", machine, "--format", "json")
    values = json.loads(out).get("from-host-under-kvm") if status == 0 else None
    if values != ["cpu.pvr", "cpu.clock-frequency", "cpu.timebase-frequency"]:
        problems.append(f"show --format json: from-host-under-kvm is {values!r}")

    _, default_tree, _ = run(vmc, "dtb", machine, "--format", "dts")
    status, emu_tree, err = run(vmc, "dtb", machine, "--format", "dts", "--accel", "emu")
    if status != 0 or emu_tree != default_tree or b"timebase-frequency" not in emu_tree:
        problems.append(f"dtb --accel emu differs from the default tree (exit {status}: {err})")

    if os.path.isdir("/proc/device-tree/cpus"):
        print("note: this host has /proc/device-tree/cpus; the refusal is not checked")
    else:
        status, out, err = run(vmc, "dtb", machine, "--format", "dts", "--accel", "kvm")
        if status != 2 or out:
            problems.append(f"dtb --accel kvm: exit {status} with {len(out)} bytes of output, expected 2 and none")
        for wanted in ("dtb --accel kvm: cannot read the host CPU's", "/proc/device-tree/cpus", "/proc/cpuinfo"):
            if wanted not in err:
                problems.append(f"dtb --accel kvm: stderr lacks {wanted!r}: {err}")

    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
