#!/usr/bin/env python3
"""`vmcompose up --accel`: on a host without KVM for Book E (this x86 CI),
`--accel kvm` fails naming what is missing and `--accel auto` falls back to
the built-in emulator and boots the demo to power-off.

usage: accel_cli.py VMCOMPOSE SOURCE_DIR (kvm|auto)
Exit 77 (skip) on a host that has /dev/kvm and an e500mc-class core.
"""
import os
import subprocess
import sys

E500MC_CLASS = ("e500mc", "e5500", "e6500")


def host_has_kvm():
    try:
        with open("/proc/cpuinfo") as f:
            cpus = [line.split(":", 1)[1].strip() for line in f
                    if line.split(":", 1)[0].strip() == "cpu"]
    except OSError:
        return False
    return os.path.exists("/dev/kvm") and any(c.startswith(E500MC_CLASS) for c in cpus)


def main():
    vmc, src, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    if host_has_kvm():
        print("SKIP: this host can run KVM guests; the fallback paths do not apply")
        return 77
    run = subprocess.run([vmc, "up", f"{src}/examples/hello.yaml", "--accel", mode, "-v",
                          "--timeout", "60"],
                         stdin=subprocess.DEVNULL, capture_output=True, timeout=90)
    out = run.stdout.decode("utf-8", "replace")
    err = run.stderr.decode("utf-8", "replace")
    if mode == "kvm":
        wanted = ["--accel kvm: this host cannot run KVM guests",
                  "/dev/kvm" if not os.path.exists("/dev/kvm") else "e500mc-class",
                  "not an e500mc-class core", "use --accel emu"]
        expected_status = 2
        if "Hello from" in out:
            print("FAIL: the guest ran although KVM was refused")
            return 1
    else:
        wanted = ["engine: built-in emulator"]
        expected_status = 0
        if "demo: powering off" not in out:
            print(out[-2000:] + "\n" + err[-2000:])
            print("FAIL: the demo did not reach power-off on the emulator")
            return 1
    for text in wanted:
        if text not in err:
            print(err[-3000:])
            print(f"FAIL: stderr lacks {text!r}")
            return 1
    if run.returncode != expected_status:
        print(err[-3000:])
        print(f"FAIL: exit status {run.returncode}, expected {expected_status}")
        return 1
    print(f"--accel {mode}: ok (exit {run.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
