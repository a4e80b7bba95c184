#!/usr/bin/env python3
"""Device-tree checks through the CLI.

golden: `vmcompose dtb` of the ppce500@1 profile (1 and 2 CPUs) must equal
  the committed DTS in tests/fdt/golden/. A released profile's guest-visible
  ABI is pinned: if this fails, the change belongs in a new profile version
  (machines/ppce500/v2.yaml), not in v1.
dtc: dtc decompiles every produced DTB without warnings.
qemu: the Linux guest boots on qemu-system-ppc -M ppce500 with vmcompose's
  DTB to its init banner and powers off (skipped without QEMU or the guest).
"""
import os
import shutil
import subprocess
import sys
import tempfile

VARIANTS = {"ppce500-v1": [], "ppce500-v1-smp2": ["--set", "cpus=2"]}


def dtb(vmc, src, extra, fmt):
    return subprocess.run([vmc, "dtb", os.path.join(src, "tests", "guests", "machine.yaml"),
                           "--format", fmt] + extra, capture_output=True, check=True).stdout


def golden(vmc, src, update):
    failed = False
    for name, extra in VARIANTS.items():
        path = os.path.join(src, "tests", "fdt", "golden", name + ".dts")
        got = dtb(vmc, src, extra, "dts").decode()
        if update:
            open(path, "w").write(got)
            continue
        want = open(path).read()
        if got != want:
            print(f"{name}: the device tree of released profile ppce500@1 changed.\n"
                  "Its guest-visible ABI is pinned: put the change in machines/ppce500/v2.yaml.")
            failed = True
    return 1 if failed else 0


def dtc(vmc, src):
    if not shutil.which("dtc"):
        print("skipped: no dtc")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        for name, extra in VARIANTS.items():
            path = os.path.join(tmp, name + ".dtb")
            open(path, "wb").write(dtb(vmc, src, extra, "dtb"))
            # simple_bus_reg: the power-off node has no registers but must sit in
            # the SoC bus, the only place Linux on 85xx creates devices from.
            run = subprocess.run(["dtc", "-W", "no-simple_bus_reg", "-I", "dtb", "-O", "dts", path],
                                 capture_output=True)
            if run.returncode != 0 or run.stderr:
                print(f"{name}: dtc: {run.stderr.decode()}")
                return 1
    return 0


def qemu(vmc, src):
    guest = os.path.join(src, "..", "shared", "guest")
    if not os.path.exists(os.path.join(src, "out", "guest", "vmlinux")) and not os.path.exists(
            os.path.join(guest, "vmlinux")):
        print("skipped: no Linux guest")
        return 77
    if os.path.exists(os.path.join(src, "out", "guest", "vmlinux")):
        guest = os.path.join(src, "out", "guest")
    if not shutil.which("qemu-system-ppc"):
        print("skipped: no qemu-system-ppc")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "v.dtb")
        files = ["--set", f"kernel={guest}/vmlinux", "--set", f"initrd={guest}/initramfs.cpio",
                 "--set", "bootargs=console=ttyS0 vmcompose.bench=0"]
        open(path, "wb").write(dtb(vmc, src, files, "dtb"))
        run = subprocess.run(["qemu-system-ppc", "-M", "ppce500", "-cpu", "e500mc", "-m", "256",
                              "-nographic", "-dtb", path, "-kernel", f"{guest}/vmlinux",
                              "-initrd", f"{guest}/initramfs.cpio"],
                             stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        out = run.stdout.decode("utf-8", "replace")
        for marker in ("VMCOMPOSE-GUEST: init started", "reboot: Power down"):
            if marker not in out:
                print(f"QEMU with vmcompose's DTB: missing {marker!r}\n" + out[-3000:])
                return 1
    print("Linux on QEMU accepted vmcompose's device tree")
    return 0


def main():
    mode, vmc, src = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "golden":
        return golden(vmc, src, "--update" in sys.argv)
    if mode == "dtc":
        return dtc(vmc, src)
    return qemu(vmc, src)


if __name__ == "__main__":
    sys.exit(main())
