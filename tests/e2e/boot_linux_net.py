#!/usr/bin/env python3
"""virtio-net end to end: the Linux guest brings eth0 up on a tap and makes a
UDP round trip to a server on the host side of the tap.

Runs inside a network namespace of its own (the tap, its address and the
server exist only there), with an initramfs built from guest/init.c (the
network check is in that /init). Needs root, /dev/net/tun, iproute2 and the
PowerPC cross compiler; exit 77 (skip) when any is missing.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading

GUEST_IP, HOST_IP, PORT = "10.0.2.15", "10.0.2.2", 5555
TAP, MAC = "vmctap0", "52:54:00:12:34:56"
PING = "ping from the vmcompose guest"


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(77)


def find_kernel(source):
    for d in (os.path.join(source, "out", "guest"), os.path.join(source, "..", "shared", "guest")):
        if os.path.exists(os.path.join(d, "vmlinux")):
            return os.path.abspath(os.path.join(d, "vmlinux"))
    return None


def sh(*cmd):
    subprocess.run(cmd, check=True)


def build_initramfs(source, tmp):
    init = os.path.join(tmp, "init")
    subprocess.run(["powerpc-linux-gnu-gcc", "-static", "-Os", "-Wall", "-Wextra", "-Werror", "-s",
                    "-o", init, os.path.join(source, "guest", "init.c")], check=True)
    cpio = os.path.join(tmp, "initramfs.cpio")
    subprocess.run([os.path.join(source, "scripts", "make-initramfs"), init, cpio], check=True)
    return cpio


class EchoServer(threading.Thread):
    """Answers each datagram with 'pong: ' + its text and remembers what came."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((HOST_IP, PORT))
        self.received = []

    def run(self):
        while True:
            data, peer = self.sock.recvfrom(2048)
            self.received.append((data.decode("utf-8", "replace"), peer[0]))
            self.sock.sendto(b"pong: " + data, peer)


def inside(args):
    sh("ip", "link", "set", "lo", "up")
    sh("ip", "tuntap", "add", "dev", TAP, "mode", "tap")
    sh("ip", "addr", "add", f"{HOST_IP}/24", "dev", TAP)
    sh("ip", "link", "set", TAP, "up")
    server = EchoServer()
    server.start()
    with tempfile.TemporaryDirectory() as tmp:
        initrd = build_initramfs(args.source, tmp)
        machine = os.path.join(tmp, "net.yaml")
        with open(machine, "w") as f:
            f.write(f"""vmcompose: 1
board: ppce500@1
memory: 256M
kernel: {args.kernel}
initrd: {initrd}
bootargs: console=ttyS0 vmcompose.net={GUEST_IP},{HOST_IP},{PORT}
devices:
  net0: {{type: virtio-net, bus: platform, tap: {TAP}, mac: "{MAC}"}}
""")
        run = subprocess.run([args.vmcompose, "up", machine, "--timeout", str(args.timeout)],
                             stdin=subprocess.DEVNULL, capture_output=True,
                             timeout=args.timeout + 60)
    console = run.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    problems = []
    for marker in (f"VMCOMPOSE-GUEST: /sys/class/net/eth0/address: {MAC}",
                   f"VMCOMPOSE-GUEST: net reply: pong: {PING}",
                   "reboot: Power down"):
        if marker not in console:
            problems.append(f"console lacks {marker!r}")
    if (PING, GUEST_IP) not in server.received:
        problems.append(f"the host side got {server.received!r}, expected {PING!r} from {GUEST_IP}")
    if run.returncode != 0:
        problems.append(f"exit status {run.returncode}, expected 0; stderr: "
                        f"{run.stderr.decode('utf-8', 'replace')[-2000:]}")
    if problems:
        print(console[-6000:])
        print("\n".join(problems))
        return 1
    print("virtio-net: eth0 up, UDP round trip through the tap, power-off")
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vmcompose", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--timeout", type=int, default=240)
    p.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--kernel", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.inside:
        return inside(args)

    if os.geteuid() != 0:
        skip("needs root for a network namespace and a tap")
    if not os.path.exists("/dev/net/tun"):
        skip("no /dev/net/tun")
    for tool in ("ip", "powerpc-linux-gnu-gcc"):
        if not shutil.which(tool):
            skip(f"{tool} not installed")
    kernel = find_kernel(args.source)
    if not kernel:
        skip("no guest kernel (scripts/build-guest)")
    ns = f"vmc-net-{os.getpid()}"
    if subprocess.run(["ip", "netns", "add", ns]).returncode != 0:
        skip("cannot create a network namespace")
    try:
        return subprocess.run(["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__),
                               "--inside", "--vmcompose", os.path.abspath(args.vmcompose),
                               "--source", os.path.abspath(args.source), "--kernel", kernel,
                               "--timeout", str(args.timeout)]).returncode
    finally:
        subprocess.run(["ip", "netns", "delete", ns])


if __name__ == "__main__":
    sys.exit(main())
