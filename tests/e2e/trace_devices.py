#!/usr/bin/env python3
"""`up --trace mmio,irq=FILE` on the bare-metal demo: the trace shows the
UART writes that make its first console line, the read of a virtio
device's magic value, the IPI the demo raises and the vector its CPU takes.

usage: trace_devices.py VMCOMPOSE SOURCE_DIR
"""
import os
import re
import subprocess
import sys
import tempfile


def main():
    vmc, src = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "devices.trace")
        run = subprocess.run([vmc, "up", f"{src}/examples/hello.yaml", "--timeout", "60",
                              "--trace", f"mmio,irq={path}"],
                             stdin=subprocess.DEVNULL, capture_output=True, timeout=90)
        trace = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    problems = []
    if run.returncode != 0:
        problems.append(f"exit status {run.returncode}: {run.stderr.decode()[-1000:]}")
    # The first console line, byte by byte, as writes to the UART's data register.
    thr = re.findall(r"mmio write 0xfe0004500 size 1 = (0x[0-9a-f]+)  serial0\+0x0", trace)
    text = "".join(chr(int(v, 16)) for v in thr)
    if "Hello from the vmcompose bare-metal demo" not in text:
        problems.append(f"UART writes spell {text[:80]!r}")
    if not re.search(r"mmio read  0x[0-9a-f]+ size 4 = 0x76697274  disk0\+0x0", trace):
        problems.append("no read of disk0's magic value ('virt')")
    if not re.search(r"irq  cpu0 takes vector 66", trace):
        problems.append("no 'cpu0 takes vector 66' (the demo's IPI 0, EPR 0x42)")
    if not re.search(r"^\s*\d+\.\d{6} cpu0 ", trace, re.M):
        problems.append("lines lack the time and CPU stamp")
    if problems:
        print(trace[:3000])
        print("\n".join(problems))
        return 1
    print(f"device trace: {len(trace.splitlines())} lines, UART text, virtio probe and IPI vector seen")
    return 0


if __name__ == "__main__":
    sys.exit(main())
