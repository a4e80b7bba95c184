#!/usr/bin/env python3
"""virtio-net on the user-mode network, end to end and without root: the
Linux guest's /init (guest/init.c, vmcompose.usernet=) gets its address by
DHCP, talks TCP to a server this test runs on the host's loopback (through
the gateway 10.0.2.2), reads a file from the `tftp:` directory, and answers a
connection the test makes to a `forward:` port on 127.0.0.1.

All traffic stays on this host's loopback. Needs the PowerPC cross compiler
and the guest kernel; exit 77 (skip) when either is missing, or when this
vmcompose has no user-mode network.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from boot_linux_net import build_initramfs, find_kernel, skip  # noqa: E402

GUEST_PORT = 22
TFTP_FILE = "boot.txt"
TFTP_TEXT = (b"VMCOMPOSE-TFTP file served from the tftp: root\n" +
             bytes(range(256)) * 5)  # three TFTP blocks, the last one short
HOST_LINE = "hello from the host through a forward"
GUEST_LINE = "hello from the guest over the user network"


def fnv1a(data):
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h


class LineServer(threading.Thread):
    """Answers one line per connection with 'host heard: LINE', remembering who sent what."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.heard = []

    def run(self):
        while True:
            try:
                conn, peer = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(20)
                line = conn.makefile("rb").readline().decode("utf-8", "replace").strip()
                self.heard.append((line, peer[0]))
                conn.sendall(f"host heard: {line}\n".encode())


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def talk_to_guest(port):
    """Connects to the guest's service through the forward; returns its answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall(HOST_LINE.encode() + b"\n")
        return s.makefile("rb").readline().decode("utf-8", "replace").strip()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vmcompose", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--timeout", type=int, default=300)
    args = p.parse_args()
    if not shutil.which("powerpc-linux-gnu-gcc"):
        skip("powerpc-linux-gnu-gcc not installed")
    kernel = find_kernel(args.source)
    if not kernel:
        skip("no guest kernel (scripts/build-guest)")

    server = LineServer()
    server.start()
    forward_port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        initrd = build_initramfs(args.source, tmp)
        os.mkdir(os.path.join(tmp, "tftproot"))
        with open(os.path.join(tmp, "tftproot", TFTP_FILE), "wb") as f:
            f.write(TFTP_TEXT)
        machine = os.path.join(tmp, "usernet.yaml")
        with open(machine, "w") as f:
            f.write(f"""vmcompose: 1
board: ppce500@1
memory: 256M
kernel: {kernel}
initrd: {initrd}
bootargs: console=ttyS0 vmcompose.usernet={server.port},{GUEST_PORT},{TFTP_FILE}
devices:
  net0:
    type: virtio-net
    bus: platform
    user:
      tftp: tftproot   # relative to this file
      forward: ["tcp:127.0.0.1:{forward_port}:{GUEST_PORT}"]
""")
        vm = subprocess.Popen([args.vmcompose, "up", machine, "--timeout", str(args.timeout)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
        timer = threading.Timer(args.timeout + 60, vm.kill)
        timer.start()
        stderr = []
        err_reader = threading.Thread(target=lambda: stderr.append(vm.stderr.read()), daemon=True)
        err_reader.start()
        console, guest_answer = [], None
        for raw in vm.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            console.append(line)
            if f"VMCOMPOSE-GUEST: tcp in: listening on {GUEST_PORT}" in line:
                try:
                    guest_answer = talk_to_guest(forward_port)
                except OSError as e:
                    guest_answer = f"(no answer: {e})"
        status = vm.wait()
        timer.cancel()
        err_reader.join()
    text = "\n".join(console)
    err = b"".join(stderr).decode("utf-8", "replace")
    if status != 0 and "without libslirp" in err:
        skip("this vmcompose has no user-mode network")

    problems = []
    for marker in ("VMCOMPOSE-GUEST: dhcp: address 10.0.2.15 netmask 255.255.255.0 "
                   "router 10.0.2.2 dns 10.0.2.3",
                   f"VMCOMPOSE-GUEST: tcp out reply: host heard: {GUEST_LINE}",
                   f"VMCOMPOSE-GUEST: tftp: {TFTP_FILE}: {len(TFTP_TEXT)} bytes, "
                   f"fnv1a 0x{fnv1a(TFTP_TEXT):08x}, first line: VMCOMPOSE-TFTP file served from "
                   "the tftp: root",
                   f"VMCOMPOSE-GUEST: tcp in got: {HOST_LINE}",
                   "reboot: Power down"):
        if marker not in text:
            problems.append(f"console lacks {marker!r}")
    # The gateway is the host's loopback: the guest's connection arrives from 127.0.0.1.
    if (GUEST_LINE, "127.0.0.1") not in server.heard:
        problems.append(f"the host's server heard {server.heard!r}, expected {GUEST_LINE!r} "
                        "from 127.0.0.1")
    if guest_answer != f"guest heard: {HOST_LINE}":
        problems.append(f"through the forward the guest answered {guest_answer!r}")
    if status != 0:
        problems.append(f"exit status {status}, expected 0; stderr: {err[-2000:]}")
    if problems:
        print(text[-6000:])
        print("\n".join(problems))
        return 1
    print("virtio-net user network: DHCP 10.0.2.15, TCP to the host's loopback, TFTP "
          f"({len(TFTP_TEXT)} bytes), TCP forward into the guest, power-off")
    return 0


if __name__ == "__main__":
    sys.exit(main())
