#!/usr/bin/env python3
"""The terminal console and the monitor as a user meets them: `vmcompose up`
on a pseudo-terminal, booting the stock QorIQ e500mc kernel (it has Magic
SysRq; the reference guest's kernel does not) with the reference initramfs.

  1. the --monitor socket: `stop` once the init program runs, `info irq`,
     `info registers` (the same twice while stopped), `cont`;
  2. Ctrl-A h lists the escapes;
  3. Ctrl-A c opens the monitor: `info registers`, `info tlb`; Ctrl-A c closes it;
  4. Ctrl-A b, then 'h': a break on the UART, and the kernel's SysRq help;
  5. `log:` beside the stdio backend holds the guest's output, and only that.

Exit 77 (skip) when the stock kernel or the initramfs is missing.

usage: console_pty.py VMCOMPOSE SOURCE_DIR
"""
import os
import pty
import select
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77


def find(candidates):
    return next((p for p in candidates if os.path.exists(p)), None)


class Terminal:
    """`vmcompose up` with a pseudo-terminal as stdin, stdout and stderr."""

    def __init__(self, command, cwd):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                                     close_fds=True, start_new_session=True)
        os.close(slave)
        self.screen = b""

    def read(self, timeout):
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                self.screen += os.read(self.master, 65536)
            except OSError:  # the other side closed
                return False
        return True

    def wait_for(self, text, timeout, since=0):
        deadline = time.monotonic() + timeout
        while text.encode() not in self.screen[since:]:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.read(0.2)
                return text.encode() in self.screen[since:]
            self.read(0.2)
        return True

    def type(self, data):
        os.write(self.master, data)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        os.close(self.master)


class MonitorClient:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(20)
        self.sock.connect(path)
        self.buf = b""
        self.read_to_prompt()

    def read_to_prompt(self):
        while not self.buf.endswith(b"(vmcompose) "):
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.buf += chunk
        text, self.buf = self.buf.decode("utf-8", "replace"), b""
        return text

    def ask(self, command):
        self.sock.sendall(command.encode() + b"\n")
        if command == "quit":
            return ""
        return self.read_to_prompt()


def main():
    vmc, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    kernel = find([os.environ.get("VMC_GUEST_STOCK", "") + "/vmlinux-e500mc",
                   os.path.join(src, "..", "shared", "guest-stock", "vmlinux-e500mc")])
    initrd = find([os.path.join(src, "out", "guest", "initramfs.cpio"),
                   os.path.join(src, "..", "shared", "guest", "initramfs.cpio")])
    if not kernel or not initrd:
        print("SKIP: needs the stock e500mc kernel (../shared/guest-stock or VMC_GUEST_STOCK) "
              "and the initramfs (scripts/build-guest)")
        return SKIP

    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "serial.log")
        sock = os.path.join(tmp, "monitor.sock")
        vm = os.path.join(tmp, "vm.yaml")
        with open(vm, "w") as f:
            f.write(f"""vmcompose: 1
board: ppce500@1
memory: 256M
kernel: {kernel}
initrd: {initrd}
bootargs: console=ttyS0
devices:
  serial0: {{console: {{backend: stdio, log: serial.log}}}}
""")
        term = Terminal([vmc, "up", vm, "--monitor", f"unix:{sock}", "--timeout", "500"], tmp)
        try:
            # From its banner on, the init program has the console open, so the
            # UART receives; it powers off a fraction of a second later. The
            # monitor stops the machine there, so that the keys typed next
            # reach a guest that is still up.
            if not term.wait_for("VMCOMPOSE-GUEST: init started", 300):
                raise RuntimeError("the guest's init program did not start")
            client = MonitorClient(sock)
            client.ask("stop")

            mark = len(term.screen)
            term.type(b"\x01h")
            if not term.wait_for("C-a b    send a break", 10, mark):
                problems.append("Ctrl-A h: no list of escapes")

            mark = len(term.screen)
            term.type(b"\x01c")
            if not term.wait_for("(vmcompose) ", 10, mark):
                problems.append("Ctrl-A c: no monitor prompt")
            term.type(b"info registers\r")
            if not term.wait_for("msr ", 10, mark):
                problems.append("monitor on the terminal: info registers shows no msr")
            term.type(b"info tlb\r")
            if not term.wait_for("TLB1[", 10, mark):
                problems.append("monitor on the terminal: info tlb shows no TLB1 entry")
            term.type(b"\x01c")

            irq = client.ask("info irq")
            if "serial0" not in irq or "level-high" not in irq:
                problems.append(f"monitor socket: info irq: {irq!r}")
            regs = client.ask("info registers")
            if "pc " not in regs:
                problems.append(f"monitor socket: info registers while stopped: {regs!r}")
            def core_state(text):  # pc, msr and the GPRs (the timebase runs on in real time)
                words = text.split()
                return {words[i]: words[i + 1] for i in range(len(words) - 1)
                        if words[i] == "pc" or words[i] == "msr" or
                        (words[i][0] == "r" and words[i][1:].isdigit())}
            state = core_state(regs)
            if len(state) != 34 or core_state(client.ask("info registers")) != state:
                problems.append(f"stopped, yet pc/msr/GPRs changed between two reads: {state}")

            # Magic SysRq: a break, then the command key; the guest sees both
            # as soon as it runs again.
            mark = len(term.screen)
            term.type(b"\x01b")
            term.type(b"h")
            client.ask("cont")
            if not term.wait_for("sysrq: HELP", 60, mark):
                problems.append("Ctrl-A b then h: no SysRq help from the kernel")
            status = term.proc.wait(timeout=120)
            term.read(0.5)
            if status != 0:
                problems.append(f"exit status {status}, expected 0 (the guest powers off)")
        except Exception as e:  # report what the screen showed
            problems.append(str(e))
        finally:
            term.close()

        shown = term.screen.decode("utf-8", "replace")
        logged = open(log, encoding="utf-8", errors="replace").read() if os.path.exists(log) else ""
        if "VMCOMPOSE-GUEST: " not in logged or "sysrq: HELP" not in logged:
            problems.append("the console log lacks the guest's output")
        if "C-a b" in logged or "(vmcompose)" in logged:
            problems.append("the console log holds vmcompose's own text, not only the guest's")

    if problems:
        print(shown[-4000:])
        for p in problems:
            print("FAIL: " + p)
        return 1
    print("console on a terminal: escapes, SysRq through a break, monitor on the terminal and "
          "the socket, log: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
