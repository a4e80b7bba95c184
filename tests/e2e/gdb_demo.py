#!/usr/bin/env python3
"""The GDB stub against the emulator, spoken raw (no gdb needed):

1. the bare-metal demo with --gdb-wait: hardware breakpoint on a function,
   write watchpoint on a counter (stops before the store), continue until
   the guest powers off (W00, exit status 0);
2. a guest spinning forever, debugger attached while it runs: the machine
   halts on connection, Ctrl-C halts it again after a continue (T02), kill
   ends vmcompose (exit status 6).

usage: gdb_demo.py VMCOMPOSE SOURCE_DIR
"""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time


class Rsp:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buf = b""

    def send(self, payload):
        data = payload.encode()
        self.sock.sendall(b"$" + data + b"#" + ("%02x" % (sum(data) & 0xff)).encode())

    def receive(self):
        while True:
            m = re.search(rb"\$([^#]*)#[0-9a-f]{2}", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                self.sock.sendall(b"+")
                return m.group(1).decode()
            chunk = self.sock.recv(4096)
            if not chunk:
                return "<closed>"
            self.buf += chunk

    def ask(self, payload):
        self.send(payload)
        return self.receive()


def start(cmd):
    vm = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    while True:
        line = vm.stderr.readline().decode()
        if not line:
            raise RuntimeError("vmcompose did not listen")
        m = re.search(r"listening on [^ ]*:(\d+)", line)
        if m:
            return vm, int(m.group(1))


def symbols(elf):
    out = subprocess.run(["powerpc-linux-gnu-nm", elf], capture_output=True, text=True).stdout
    return {parts[2]: int(parts[0], 16) for parts in (l.split() for l in out.splitlines()) if len(parts) == 3}


def expect(problems, what, got, want):
    if got != want:
        problems.append(f"{what}: got {got!r}, expected {want!r}")


def demo_session(vmc, src, problems):
    sym = symbols(os.path.join(src, "out", "demo", "demo.elf"))
    vm, port = start([vmc, "up", f"{src}/examples/hello.yaml", "--gdb", "tcp::0", "--gdb-wait",
                      "--timeout", "60"])
    g = Rsp(port)
    g.ask("qSupported:swbreak+;hwbreak+")
    expect(problems, "initial stop", g.ask("?"), "T05thread:1;")
    expect(problems, "pc before the first instruction", g.ask("p40"), "%08x" % sym["_start"])
    target = sym["on_decrementer"]
    expect(problems, "Z1", g.ask("Z1,%x,4" % target), "OK")
    expect(problems, "hardware breakpoint stop", g.ask("vCont;c"), "T05thread:1;hwbreak:;")
    expect(problems, "pc at the breakpoint", g.ask("p40"), "%08x" % target)
    expect(problems, "z1", g.ask("z1,%x,4" % target), "OK")
    ticks = sym["ticks"]
    expect(problems, "Z2", g.ask("Z2,%x,4" % ticks), "OK")
    expect(problems, "watchpoint stop", g.ask("c"), "T05thread:1;watch:%x;" % ticks)
    pc = int(g.ask("p40"), 16)
    if not sym["on_decrementer"] <= pc < sym["on_external"]:
        problems.append(f"watchpoint stop at {pc:#x}, outside on_decrementer")
    expect(problems, "ticks before the watched store", g.ask("m%x,4" % ticks), "00000000")
    expect(problems, "second watchpoint stop", g.ask("c"), "T05thread:1;watch:%x;" % ticks)
    expect(problems, "ticks before the second store", g.ask("m%x,4" % ticks), "00000001")
    expect(problems, "z2", g.ask("z2,%x,4" % ticks), "OK")
    expect(problems, "power-off", g.ask("c"), "W00")
    expect(problems, "demo exit status", vm.wait(timeout=60), 0)


def spin_session(vmc, src, problems):
    with tempfile.TemporaryDirectory() as tmp:
        spin = os.path.join(tmp, "spin.bin")
        with open(spin, "wb") as f:
            f.write(bytes.fromhex("48000000"))  # b .
        vm, port = start([vmc, "up", f"{src}/examples/hello.yaml", "--set", f"kernel={spin}",
                          "--set", "kernel-format=raw", "--gdb", "tcp::0", "--timeout", "60"])
        time.sleep(0.5)  # running before gdb comes
        g = Rsp(port)
        expect(problems, "halted on connection", g.ask("?"), "T05thread:1;")
        pc = g.ask("p40")
        g.send("c")
        time.sleep(0.5)
        g.sock.sendall(b"\x03")
        expect(problems, "Ctrl-C", g.receive(), "T02thread:1;")
        expect(problems, "still spinning in place", g.ask("p40"), pc)
        g.send("k")
        expect(problems, "exit status after kill", vm.wait(timeout=60), 6)


def main():
    vmc, src = sys.argv[1], sys.argv[2]
    problems = []
    demo_session(vmc, src, problems)
    spin_session(vmc, src, problems)
    for p in problems:
        print("FAIL:", p)
    if not problems:
        print("gdb stub on the emulator: hbreak, watch, power-off, attach while running, Ctrl-C, kill")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
