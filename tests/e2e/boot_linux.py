#!/usr/bin/env python3
"""Boots the Linux guest from examples/ppce500.yaml on the emulator and checks
the console: kernel banner, init banner, the e500mc in /proc/cpuinfo, the
virtio disk read, the hvc0 line, power-off, exit status 0.

Variants: up (1 CPU), smp2 (--set cpus=2: every CPU online), icount (two
deterministic boots give identical consoles), e5500 (the same 32-bit guest
on the 64-bit e5500 core: --set cpu.model=e5500, /proc/cpuinfo says e5500).

The guest comes from out/guest/ (scripts/build-guest) or, as a cache, from
../shared/guest next to the source tree. Exit 77 (skip) when neither exists.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

MARKERS = [
    "Linux version 6.1",
    "VMCOMPOSE-GUEST: init started",
    "e500mc",
    "VMCOMPOSE-GUEST: vda text: VMCOMPOSE-DISK",
    "VMCOMPOSE-GUEST: wrote a line to /dev/hvc0",
    "VMCOMPOSE-GUEST: powering off (method: poweroff)",
    "reboot: Power down",
]


def find_guest(source):
    for d in (os.path.join(source, "out", "guest"), os.path.join(source, "..", "shared", "guest")):
        if all(os.path.exists(os.path.join(d, f)) for f in ("vmlinux", "initramfs.cpio")):
            return os.path.abspath(d)
    return None


def disk_image(guest, tmp):
    ref = os.path.join(guest, "measurements", "disk.img")
    if os.path.exists(os.path.join(guest, "disk.img")):
        return os.path.join(guest, "disk.img")
    if os.path.exists(ref):
        return ref
    path = os.path.join(tmp, "disk.img")
    with open(path, "wb") as f:
        f.write(b"VMCOMPOSE-DISK reference image, first 64 bytes ->".ljust(64, b".").ljust(65536, b"\0"))
    return path


def boot(args, guest, tmp, extra):
    hvc = os.path.join(tmp, "hvc0.log")
    cmd = [args.vmcompose, "up", os.path.join(args.source, "examples", "ppce500.yaml"),
           "--set", f"kernel={guest}/vmlinux", "--set", f"initrd={guest}/initramfs.cpio",
           "--set", f"devices.disk0.image={disk_image(guest, tmp)}",
           "--set", f"devices.hvc0.console=file:{hvc}",
           "--set", "bootargs=console=ttyS0 vmcompose.bench=0",
           "--timeout", str(args.timeout)] + extra
    run = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=args.timeout + 60)
    console = run.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    hvc_text = open(hvc, encoding="utf-8", errors="replace").read() if os.path.exists(hvc) else ""
    return run.returncode, console, run.stderr.decode("utf-8", "replace"), hvc_text


def check(console, status, stderr, hvc_text, cpus, core):
    problems = []
    pos = 0
    for marker in [core if m == "e500mc" else m for m in MARKERS]:
        i = console.find(marker, pos)
        if i < 0:
            problems.append(f"missing (in order): {marker!r}")
        else:
            pos = i
    # guest/init.c tags each line of the file it shows; a cached guest's may not.
    online = len(re.findall(r"^(?:VMCOMPOSE-GUEST: /proc/cpuinfo: )?processor\s*:", console, re.M))
    if online != cpus:
        problems.append(f"/proc/cpuinfo lists {online} processors, expected {cpus}")
    if "hello on hvc0" not in hvc_text:
        problems.append("hvc0 output lacks 'hello on hvc0'")
    if status != 0:
        problems.append(f"exit status {status}, expected 0; stderr: {stderr[-2000:]}")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vmcompose", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--variant", default="up")
    ap.add_argument("--timeout", type=int, default=300)
    args = ap.parse_args()
    guest = find_guest(args.source)
    if not guest:
        print("skipped: no Linux guest (run scripts/build-guest)")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        cpus = 2 if args.variant == "smp2" else 1
        extra = ["--set", f"cpus={cpus}"]
        if args.variant == "e5500":
            extra += ["--set", "cpu.model=e5500"]
        if args.variant == "icount":
            # Guest time follows instructions; the entropy device goes, since
            # host randomness changes the guest's path by design.
            extra += ["--icount", "--set", "devices.rng0=null"]
        status, console, stderr, hvc_text = boot(args, guest, tmp, extra)
        problems = check(console, status, stderr, hvc_text, cpus,
                         "e5500" if args.variant == "e5500" else "e500mc")
        if args.variant == "icount" and not problems:
            status2, console2, _, _ = boot(args, guest, tmp, extra)
            if console2 != console:
                a, b = console.splitlines(), console2.splitlines()
                first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                problems.append(f"two --icount boots differ at console line {first + 1}")
    if problems:
        print("console tail:\n" + "\n".join(console.splitlines()[-40:]))
        for p in problems:
            print("FAIL:", p)
        return 1
    print(f"Linux {args.variant}: all {len(MARKERS)} markers in order, exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
