#!/usr/bin/env python3
"""gdb-multiarch against a booting Linux guest over `vmcompose up --gdb`:
stop before the first instruction (--gdb-wait), load vmlinux symbols, break
at start_kernel, read registers, step, list the vCPUs, translate an address
with the monitor, delete the breakpoint and continue until the guest powers
off (gdb sees the inferior exit). A second boot with two vCPUs breaks in
start_secondary and finds itself in thread 2.

The guest comes from out/guest/, ../shared/guest next to the source tree, or
$VMC_GUEST_DIR. Exit 77 (skip) without a guest or without gdb-multiarch.

usage: gdb_linux.py VMCOMPOSE SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def find_guest(source):
    candidates = [os.environ.get("VMC_GUEST_DIR", ""), os.path.join(source, "out", "guest"),
                  os.path.join(source, "..", "shared", "guest")]
    for d in candidates:
        if d and all(os.path.exists(os.path.join(d, f)) for f in ("vmlinux", "initramfs.cpio")):
            return os.path.abspath(d)
    return None


def smp_session(vmc, src, guest, gdb):
    """Two vCPUs: the secondary's first kernel function stops the machine as thread 2."""
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.write(b"VMCOMPOSE-DISK reference image".ljust(65536, b"\0"))
        vm = subprocess.Popen(
            [vmc, "up", os.path.join(src, "examples", "ppce500.yaml"), "--set", "cpus=2",
             "--set", f"kernel={guest}/vmlinux", "--set", f"initrd={guest}/initramfs.cpio",
             "--set", f"devices.disk0.image={disk}", "--set", f"devices.hvc0.console=file:{tmp}/hvc0.log",
             "--gdb", "tcp::0", "--gdb-wait", "--timeout", "500"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port = None
        while port is None:
            line = vm.stderr.readline().decode("utf-8", "replace")
            if not line:
                break
            m = re.search(r"listening on [^ ]*:(\d+)", line)
            port = m.group(1) if m else None
        if port is None:
            vm.kill()
            return ["smp2: vmcompose did not listen"]
        g = subprocess.run([gdb, "-nx", "-batch", "-ex", f"file {guest}/vmlinux",
                            "-ex", f"target remote 127.0.0.1:{port}", "-ex", "info threads",
                            "-ex", "break start_secondary", "-ex", "continue", "-ex", "info threads",
                            "-ex", "delete", "-ex", "continue"],
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=560)
        out = g.stdout.decode("utf-8", "replace") + g.stderr.decode("utf-8", "replace")
        status = vm.wait(timeout=120)
    problems = []
    for needle in ("Thread 2 (cpu1 (held in the spin table))", "Thread 2 hit Breakpoint 1",
                   "start_secondary", "Thread 1 (cpu0)", "exited normally"):
        if needle not in out:
            problems.append(f"smp2: {needle!r} missing from gdb's output:\n{out[-3000:]}")
    if status != 0:
        problems.append(f"smp2: vmcompose exit status {status}")
    return problems


def main():
    vmc, src = sys.argv[1], sys.argv[2]
    guest = find_guest(src)
    gdb = shutil.which("gdb-multiarch")
    if not guest or not gdb:
        print("skip: needs the Linux guest (scripts/build-guest) and gdb-multiarch")
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.write(b"VMCOMPOSE-DISK reference image".ljust(65536, b"\0"))
        console = os.path.join(tmp, "console.log")
        cmd = [vmc, "up", os.path.join(src, "examples", "ppce500.yaml"),
               "--set", f"kernel={guest}/vmlinux", "--set", f"initrd={guest}/initramfs.cpio",
               "--set", f"devices.disk0.image={disk}",
               "--set", f"devices.hvc0.console=file:{tmp}/hvc0.log",
               "--set", "bootargs=console=ttyS0 vmcompose.bench=0",
               "--gdb", "tcp::0", "--gdb-wait", "--timeout", "500"]
        with open(console, "wb") as out:
            vm = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE)
            port = None
            stderr_head = ""
            while port is None:
                line = vm.stderr.readline().decode("utf-8", "replace")
                if not line:
                    break
                stderr_head += line
                m = re.search(r"listening on [^ ]*:(\d+)", line)
                if m:
                    port = m.group(1)
            if port is None:
                print(f"FAIL: vmcompose did not listen: {stderr_head}")
                vm.kill()
                return 1
            script = f"""
set pagination off
set confirm off
file {guest}/vmlinux
target remote 127.0.0.1:{port}
show architecture
set architecture powerpc:e500mc
printf "FIRST pc=%#x r3=%#x r6=%#x\\n", $pc, $r3, $r6
break start_kernel
continue
printf "AT-START pc=%#x start_kernel=%#x msr=%#x r1=%#x\\n", $pc, &start_kernel, $msr, $r1
info registers lr ctr srr0 pid
stepi
printf "STEPPED pc=%#x\\n", $pc
x/2wx $pc
info threads
monitor translate {{0}}
delete
continue
"""
            script = script.replace("{0}", "0xc0000000")
            gdb_cmds = os.path.join(tmp, "cmds.gdb")
            with open(gdb_cmds, "w") as f:
                f.write(script)
            g = subprocess.run([gdb, "-nx", "-batch", "-x", gdb_cmds], stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=560)
            gdb_out = g.stdout.decode("utf-8", "replace") + g.stderr.decode("utf-8", "replace")
            try:
                rest = vm.communicate(timeout=120)[1].decode("utf-8", "replace")
            except subprocess.TimeoutExpired:
                vm.kill()
                rest = ""
        console_text = open(console, encoding="utf-8", errors="replace").read()

    problems = []
    first = re.search(r"FIRST pc=(0x[0-9a-f]+|0) r3=(0x[0-9a-f]+|0) r6=(0x[0-9a-f]+)", gdb_out)
    if not first:
        problems.append("no registers at the first instruction")
    elif first.group(3) != "0x45504150":
        problems.append(f"r6 at the first instruction should be the ePAPR magic: {first.group(0)}")
    at = re.search(r"AT-START pc=(0x[0-9a-f]+) start_kernel=(0x[0-9a-f]+) msr=(0x[0-9a-f]+) r1=(0x[0-9a-f]+)",
                   gdb_out)
    if not re.search(r"Breakpoint 1, .*start_kernel", gdb_out):
        problems.append("gdb did not report breakpoint 1 in start_kernel")
    if not at:
        problems.append("no registers at start_kernel")
    else:
        if at.group(1) != at.group(2):
            problems.append(f"stopped at {at.group(1)}, start_kernel is {at.group(2)}")
        if int(at.group(4), 16) < 0xc0000000:
            problems.append(f"r1 at start_kernel should be a kernel stack address: {at.group(4)}")
    stepped = re.search(r"STEPPED pc=(0x[0-9a-f]+)", gdb_out)
    if not stepped or not at or stepped.group(1) == at.group(1):
        problems.append("stepi did not move the pc")
    for needle in ('(currently "powerpc:e500mc")', "srr0", "Thread 1", "0xc0000000 -> 0x0", "exited normally"):
        if needle not in gdb_out:
            problems.append(f"{needle!r} missing from gdb's output")
    if "reboot: Power down" not in console_text:
        problems.append("the guest did not power off")
    if vm.returncode != 0:
        problems.append(f"vmcompose exit status {vm.returncode}: {rest[-1500:]}")
    problems += smp_session(vmc, src, guest, gdb)
    if problems:
        print(gdb_out[-6000:])
        for p in problems:
            print("FAIL:", p)
        return 1
    print(at.group(0) if at else "", stepped.group(0) if stepped else "")
    print("gdb: first instruction, start_kernel, registers, stepi, threads, monitor, power-off; "
          "smp2: secondary vCPU as thread 2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
