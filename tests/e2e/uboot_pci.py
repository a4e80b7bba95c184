#!/usr/bin/env python3
"""Debian's U-Boot for QEMU's ppce500 (u-boot-qemu, uboot.elf as the kernel)
on ppce500@2 with a virtio-blk disk on the PCI bus: at its prompt (typed
through stdin) `virtio scan; virtio info` lists the disk and `pci` the bus.
The same sequence on qemu-system-ppc -M ppce500 is the oracle: both must show
the disk with the same capacity.

Exit 77 (skip) without u-boot-qemu's uboot.elf (or QEMU, for the oracle).
"""
import argparse
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

UBOOT = "/usr/lib/u-boot/qemu-ppce500/uboot.elf"
PROMPT = b"=> "


class Console:
    """A guest console on a child's stdin/stdout, read until a marker appears."""

    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.seen = b""
        self.pos = 0  # where the next expect() starts looking

    def expect(self, marker, timeout):
        """Waits for `marker` after the last one found."""
        deadline = time.monotonic() + timeout
        while marker not in self.seen[self.pos:]:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                return False
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk:
                    return False
                self.seen += chunk
        self.pos = self.seen.index(marker, self.pos) + len(marker)
        return True

    def type(self, line):
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()

    def close(self):
        self.proc.kill()
        _, err = self.proc.communicate()
        return err.decode("utf-8", "replace")


def session(cmd, timeout):
    """Boots to the prompt, runs the commands; returns (problems, console text)."""
    c = Console(cmd)
    problems = []
    try:
        if not c.expect(PROMPT, timeout):
            problems.append("no U-Boot prompt")
        else:
            c.type("virtio scan; virtio info")
            if not c.expect(b"Capacity:", 60) or not c.expect(PROMPT, 10):
                problems.append("`virtio info` listed no disk")
            c.type("pci")
            if not c.expect(b"00.01.00", 30) or not c.expect(PROMPT, 10):
                problems.append("`pci` did not list slot 1")
    finally:
        err = c.close()
    text = c.seen.decode("utf-8", "replace").replace("\r\n", "\n")
    for marker in ("1af4 VirtIO Block Device", "Capacity: 64.0 MB"):
        if marker not in text:
            problems.append(f"missing {marker!r}")
    if problems:
        problems.append("stderr: " + err[-1500:])
    return problems, text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vmcompose", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--variant", default="vmcompose", choices=["vmcompose", "qemu"])
    ap.add_argument("--timeout", type=int, default=240)
    args = ap.parse_args()
    if not os.path.exists(UBOOT):
        print(f"skipped: no {UBOOT} (Debian package u-boot-qemu)")
        return 77
    if args.variant == "qemu" and not shutil.which("qemu-system-ppc"):
        print("skipped: no qemu-system-ppc")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.truncate(64 << 20)
        if args.variant == "vmcompose":
            machine = os.path.join(tmp, "uboot.yaml")
            with open(machine, "w") as f:
                f.write("vmcompose: 1\nboard: ppce500@2\nname: uboot-pci\nmemory: 256M\n"
                        "devices:\n  disk0: {type: virtio-blk, bus: pci, image: disk.img}\n")
            cmd = [args.vmcompose, "up", machine, "--set", f"kernel={UBOOT}",
                   "--timeout", str(args.timeout)]
        else:
            cmd = ["qemu-system-ppc", "-M", "ppce500", "-cpu", "e500mc", "-m", "256", "-nographic",
                   "-nic", "none", "-kernel", UBOOT, "-drive", f"file={disk},if=virtio,format=raw"]
        problems, text = session(cmd, args.timeout)
    if problems:
        print("console tail:\n" + "\n".join(text.splitlines()[-40:]))
        for p in problems:
            print(f"FAIL {args.variant}: {p}")
        return 1
    print(f"U-Boot on {args.variant}: virtio info lists the PCI disk, pci lists slot 1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
