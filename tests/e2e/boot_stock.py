#!/usr/bin/env python3
"""Boots the stock kernel (what users of QEMU's -M ppce500 have: QorIQ
defconfig, virtio over PCI only) on examples/ppce500-stock.yaml: its ext2 root
filesystem on a virtio-blk disk on the PCI bus, `root=/dev/vda`, to its init
and power-off. The same files on qemu-system-ppc -M ppce500 are the oracle;
both must reach every marker.

Variants: vmlinux, uimage (the kernel as a U-Boot image), qemu (the oracle,
vmlinux and uImage).

The kernels come from out/guest-stock/ (scripts/build-stock-guest) or, as a
cache, ../shared/guest-stock; the root filesystem from out/guest-stock/ or is
built by scripts/build-stock-guest into the test's own directory. Exit 77
(skip) when no kernel is there.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

MARKERS = [
    "Linux version 6.1",
    "PCI host bridge to bus 0000:00",
    "virtio-pci 0000:00:01.0",
    "[vda]",
    "VFS: Mounted root (",
    "VMCOMPOSE-GUEST: init started",
    "VMCOMPOSE-GUEST: /proc/cmdline: console=ttyS0 rootwait root=/dev/vda",
    "VMCOMPOSE-GUEST: powering off (method: poweroff)",
    "reboot: Power down",
]
KERNELS = {"vmlinux": "vmlinux-e500mc", "uimage": "uImage-e500mc"}


def find_kernels(source):
    for d in (os.path.join(source, "out", "guest-stock"), os.path.join(source, "..", "shared", "guest-stock")):
        if all(os.path.exists(os.path.join(d, f)) for f in KERNELS.values()):
            return os.path.abspath(d)
    return None


def root_filesystem(source, tmp):
    """A private copy: the guest may write its root, and the image is locked while in use."""
    built = os.path.join(source, "out", "guest-stock", "rootfs.ext2")
    if not os.path.exists(built):
        env = dict(os.environ, VMC_STOCK_OUT=os.path.join(tmp, "stock"),
                   VMC_STOCK_BUILD=os.path.join(tmp, "build"))
        subprocess.run([os.path.join(source, "scripts", "build-stock-guest")], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        built = os.path.join(tmp, "stock", "rootfs.ext2")
    copy = os.path.join(tmp, "rootfs.ext2")
    shutil.copyfile(built, copy)
    return copy


def run(cmd, timeout):
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        return r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b"").decode("utf-8", "replace"), f"timed out after {timeout} s"


def boot_vmcompose(args, kernel, rootfs):
    return run([args.vmcompose, "up", os.path.join(args.source, "examples", "ppce500-stock.yaml"),
                "--set", f"kernel={kernel}", "--set", f"devices.disk0.image={rootfs}",
                "--timeout", str(args.timeout)], args.timeout + 60)


def boot_qemu(args, kernel, rootfs):
    return run(["qemu-system-ppc", "-M", "ppce500", "-cpu", "e500mc", "-m", "256", "-nographic",
                "-nic", "none", "-no-reboot", "-kernel", kernel,
                "-drive", f"file={rootfs},if=virtio,format=raw",
                "-append", "console=ttyS0 rootwait root=/dev/vda"], args.timeout)


def check(console, status, stderr):
    problems, pos = [], 0
    console = console.replace("\r\n", "\n")
    for marker in MARKERS:
        i = console.find(marker, pos)
        if i < 0:
            problems.append(f"missing (in order): {marker!r}")
        else:
            pos = i
    if status != 0:
        problems.append(f"exit status {status}, expected 0; stderr: {stderr[-2000:]}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vmcompose", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--variant", default="vmlinux", choices=["vmlinux", "uimage", "qemu"])
    ap.add_argument("--timeout", type=int, default=300)
    args = ap.parse_args()
    kernels = find_kernels(args.source)
    if not kernels:
        print("skipped: no stock kernels (run scripts/build-stock-guest)")
        return 77
    if args.variant == "qemu" and not shutil.which("qemu-system-ppc"):
        print("skipped: no qemu-system-ppc")
        return 77
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        rootfs = root_filesystem(args.source, tmp)
        boots = ([("qemu " + k, boot_qemu, f) for k, f in KERNELS.items()] if args.variant == "qemu"
                 else [("vmcompose " + args.variant, boot_vmcompose, KERNELS[args.variant])])
        for name, boot, kernel in boots:
            status, console, stderr = boot(args, os.path.join(kernels, kernel), rootfs)
            problems = check(console, status, stderr)
            if problems:
                failed = True
                print(f"{name}: console tail:\n" + "\n".join(console.splitlines()[-40:]))
                for p in problems:
                    print(f"FAIL {name}: {p}")
            else:
                print(f"{name}: all {len(MARKERS)} markers in order, exit 0")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
