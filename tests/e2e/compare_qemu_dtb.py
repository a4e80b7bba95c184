#!/usr/bin/env python3
"""Compares vmcompose's device tree for ppce500@1 with the one QEMU builds
for `-M ppce500 -cpu e500mc -m 256`, node by node and property by property,
for everything the two share. Deliberate differences are listed below; any
other difference fails.

usage: compare_qemu_dtb.py VMCOMPOSE SOURCE_DIR   (exit 77: no QEMU)
"""
import os
import shutil
import subprocess
import sys
import tempfile

# Nodes only QEMU's board has: vmcompose does not model PCI, the MSI block
# or the I2C RTC.
QEMU_ONLY_NODES = {"/pci@fe0008000", "/soc@fe0000000/msi@41600", "/soc@fe0000000/i2c@3000",
                   "/soc@fe0000000/i2c@3000/rtc@68"}
# Nodes whose names differ: vmcompose gives /memory its unit address (dtc warns otherwise).
RENAMED = {"/memory": "/memory@0"}
# Properties that differ on purpose, per node ("*" = every node).
DELIBERATE = {
    "/chosen": {"rng-seed",            # QEMU: random every run; vmcompose: deterministic output
                "qemu,boot-kernel",    # QEMU's own loader bookkeeping
                "bootargs", "linux,initrd-start", "linux,initrd-end"},  # depend on the VM file
    "/aliases": {"pci0", "i2c", "rtc"},  # nodes vmcompose does not have
    "/cpus/PowerPC,8544@0": {"status"},  # vmcompose says "okay" explicitly
    "/soc@fe0000000": {"interrupt-parent"},  # vmcompose sets it on both buses
    "/platform@f00000000": set(),
}


def props(dtb, node):
    out = subprocess.run(["fdtget", "-p", dtb, node], capture_output=True, text=True)
    return set(out.stdout.split()) if out.returncode == 0 else set()


def value(dtb, node, prop):
    return subprocess.run(["fdtget", "-t", "bx", dtb, node, prop], capture_output=True, text=True).stdout.strip()


def nodes(dtb, node="/"):
    found = [node]
    out = subprocess.run(["fdtget", "-l", dtb, node], capture_output=True, text=True).stdout.split()
    for child in out:
        found += nodes(dtb, (node.rstrip("/") + "/" + child))
    return found


def main():
    vmc, src = sys.argv[1], sys.argv[2]
    hello = os.path.join(src, "out", "demo", "demo.elf")
    if not shutil.which("qemu-system-ppc") or not shutil.which("fdtget") or not os.path.exists(hello):
        print("skipped: needs qemu-system-ppc, fdtget and the demo guest")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        qemu, ours = os.path.join(tmp, "qemu.dtb"), os.path.join(tmp, "ours.dtb")
        subprocess.run(["qemu-system-ppc", "-M", f"ppce500,dumpdtb={qemu}", "-cpu", "e500mc", "-m", "256",
                        "-nographic", "-kernel", hello], capture_output=True, timeout=60)
        subprocess.run([vmc, "dtb", os.path.join(src, "tests", "guests", "machine.yaml"), "-o", ours], check=True)
        problems, compared = [], 0
        for node in nodes(qemu):
            if node in QEMU_ONLY_NODES:
                continue
            mine = RENAMED.get(node, node)
            qp, op = props(qemu, node), props(ours, mine)
            if not op and mine != "/":
                problems.append(f"{node}: missing in vmcompose's tree")
                continue
            allowed = DELIBERATE.get(node, set())
            for p in sorted((qp ^ op) - allowed - {"phandle", "linux,phandle", "interrupt-parent", "gpios"}):
                problems.append(f"{node}: property {p} only in {'QEMU' if p in qp else 'vmcompose'}")
            for p in sorted((qp & op) - allowed - {"phandle", "linux,phandle", "interrupt-parent", "gpios"}):
                compared += 1
                if value(qemu, node, p) != value(ours, mine, p):
                    problems.append(f"{node}: {p}: QEMU {value(qemu, node, p)!r} vmcompose {value(ours, mine, p)!r}")
    for p in problems:
        print("DIFF:", p)
    print(f"{compared} shared properties compared, {len(problems)} unexpected differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
