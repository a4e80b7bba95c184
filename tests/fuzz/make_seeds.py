#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz corpora (tests/fuzz/corpus/<target>/seed-*).

Seeds follow what the unit tests do: machine files from examples/ and
tests/config/bad/, kernel images like tests/vmm's, the virtio bring-up of
tests/devices/virtio_driver.hpp, Linux's MPIC/UART/GPIO programming, and
small e500mc programs. Inputs the fuzzers found (crash-*, slow-*) sit next to
them and are kept. Needs powerpc-linux-gnu-as/objcopy and mkimage.

usage: make_seeds.py [CORPUS_DIR]
"""
import gzip
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def write(corpus, target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


# ---- machine files --------------------------------------------------------

MACHINE_BAD = ["alias-expansion-bomb", "alias-refers-to-itself", "bad-irq-sense",
               "cpus-above-max", "dangling-stdout", "duplicate-key", "empty-file",
               "integer-overflow", "irq-beyond-controller", "memory-overlaps-bus",
               "misaligned-address", "outside-bus-window", "overlapping-devices",
               "poweroff-controller-missing", "shared-irq", "tab-indentation",
               "unclosed-flow-list", "unknown-board-version", "virtio-without-slot"]

MACHINE_GOOD = {
    "virtio-devices.yaml": b"""vmcompose: 1
board: ppce500@1
name: seed
memory: 256M
cpus: 2
devices:
  rng0: { type: virtio-rng }
  con1: { type: virtio-console, console: null }
""",
    "no-board.yaml": b"""vmcompose: 1
board: ppce500
name: minimal
memory: 64M
""",
}


def machine_seeds(corpus):
    for name in MACHINE_BAD:
        with open(os.path.join(ROOT, "tests/config/bad", name + ".yaml"), "rb") as f:
            write(corpus, "machine", name + ".yaml", f.read())
    with open(os.path.join(ROOT, "tests/guests/machine.yaml"), "rb") as f:
        write(corpus, "machine", "guest-machine.yaml", f.read())
    for name, text in MACHINE_GOOD.items():
        write(corpus, "machine", name, text)


# ---- kernel images --------------------------------------------------------

def assemble(source, tmp, name="prog"):
    s = os.path.join(tmp, name + ".s")
    o = os.path.join(tmp, name + ".o")
    b = os.path.join(tmp, name + ".bin")
    with open(s, "w") as f:
        f.write(source + "\n")
    subprocess.run(["powerpc-linux-gnu-as", "-mbig", "-me500mc", "-a32", "-o", o, s], check=True)
    subprocess.run(["powerpc-linux-gnu-objcopy", "-O", "binary", "-j", ".text", o, b], check=True)
    with open(b, "rb") as f:
        return f.read()


def elf(segments, entry):
    """A 32-bit big-endian PowerPC ELF executable with one PT_LOAD per (vaddr, paddr, data, memsz)."""
    phoff = 52
    data_off = phoff + 32 * len(segments)
    header = struct.pack(">4sBBBB8xHHIIIIIHHHHHH", b"\x7fELF", 1, 2, 1, 0, 2, 20, 1, entry,
                         phoff, 0, 0, 52, 32, len(segments), 40, 0, 0)
    phdrs, blobs = b"", b""
    for vaddr, paddr, data, memsz in segments:
        phdrs += struct.pack(">IIIIIIII", 1, data_off + len(blobs), vaddr, paddr, len(data), memsz,
                             7, 0x10000)
        blobs += data
    return header + phdrs + blobs


def uimage(payload, load, entry, compression=0, bad_crc=False):
    dcrc = zlib.crc32(payload) & 0xffffffff
    fields = [0x27051956, 0, 0, len(payload), load, entry, dcrc, 5, 7, 2, compression]
    head = struct.pack(">IIIIIIIBBBB32s", *fields, b"seed".ljust(32, b"\0"))
    hcrc = zlib.crc32(head) & 0xffffffff
    if bad_crc:
        hcrc ^= 1
    return head[:4] + struct.pack(">I", hcrc) + head[8:] + payload


def kernel_seeds(corpus, tmp):
    code = assemble("li 3,1\nli 4,2\nadd 5,3,4\nb .", tmp)
    seeds = {
        "elf": elf([(0xc0000000, 0, code, len(code) + 0x100)], 0xc0000000),
        "elf-two-segments": elf([(0xc0000000, 0, code, 0x1000), (0xc0010000, 0x10000, code, 0x20)],
                                0xc0000000),
        "elf-overlapping": elf([(0xc0000000, 0, code, 0x1000), (0xc0000800, 0x800, code, 0x1000)],
                               0xc0000000),
        "elf-beyond-ram": elf([(0xc0000000, 0xfff00000, code, 0x200000)], 0xc0000000),
        "uimage": uimage(code, 0, 0),
        "uimage-gzip": uimage(gzip.compress(code * 64), 0, 0, compression=1),
        "uimage-truncated-gzip": uimage(gzip.compress(code * 64)[:40], 0, 0, compression=1),
        "uimage-bad-crc": uimage(code, 0, 0, bad_crc=True),
        "raw": code,
    }
    for name, image in seeds.items():
        # First byte: format selector (auto) and raw load address.
        write(corpus, "kernel", name, b"\x00" + image)
    write(corpus, "kernel", "raw-forced", b"\x07" + code)


# ---- virtio ---------------------------------------------------------------

BLK, CONSOLE, RNG, NET = 0, 1, 2, 3
NEXT, WRITE, INDIRECT = 1, 2, 4
DESC, AVAIL, USED = 0x1000, 0x1400, 0x1800  # queue q at +0x1000*q
DATA = 0x8000


class Virtio:
    """Builds one virtio_fuzz input: the operations the test driver performs."""

    def __init__(self, kind):
        self.kind = kind
        self.ops = b""
        self.avail_idx = {}

    def writel(self, off, value):  # readl/writel: the bus value is the byte-swapped register
        self.ops += struct.pack("<BB", 0, off // 4) + struct.pack(">I", value & 0xffffffff)

    def read(self, off, width=4):
        self.ops += struct.pack("<BBH", 1, {1: 0, 2: 1, 4: 2, 8: 3}[width], off)

    def ram(self, addr, data):
        for i in range(0, len(data), 255):
            chunk = data[i:i + 255]
            self.ops += struct.pack("<BHB", 2, addr + i, len(chunk)) + chunk

    def host(self, data):
        self.ops += struct.pack("<BB", 3, len(data)) + data

    def reset_device(self):
        self.ops += b"\x05"

    def init(self, queues, size=8, features_hi=1, features_lo=0):
        self.writel(0x070, 0)
        self.writel(0x070, 1)
        self.writel(0x070, 3)
        self.writel(0x024, 1)
        self.writel(0x020, features_hi)
        self.writel(0x024, 0)
        self.writel(0x020, features_lo)
        self.writel(0x070, 0xb)
        for q in range(queues):
            self.queue(q, size)
        self.writel(0x070, 0xf)

    def queue(self, q, size, desc=None):
        base = 0x1000 * q
        self.writel(0x030, q)
        self.read(0x034)
        self.writel(0x038, size)
        for reg, addr in ((0x080, desc if desc is not None else DESC + base), (0x090, AVAIL + base),
                          (0x0a0, USED + base)):
            self.writel(reg, addr)
            self.writel(reg + 4, 0)
        self.writel(0x044, 1)
        self.avail_idx[q] = 0

    def descriptor(self, q, i, addr, length, flags, nxt):
        self.ram(DESC + 0x1000 * q + 16 * i, struct.pack("<QIHH", addr, length, flags, nxt))

    def make_available(self, q, head, size=8):
        i = self.avail_idx[q]
        self.ram(AVAIL + 0x1000 * q + 4 + 2 * (i % size), struct.pack("<H", head))
        self.avail_idx[q] = i + 1
        self.ram(AVAIL + 0x1000 * q + 2, struct.pack("<H", i + 1))

    def kick(self, q):
        self.writel(0x050, q)
        self.read(0x060)
        self.writel(0x064, 1)

    def input(self, selector_extra=0):
        return bytes([self.kind | selector_extra]) + struct.pack("<H", 0) + self.ops


class VirtioPci(Virtio):
    """The same driver on virtio-pci (selector bit 3): the common configuration
    at BAR 4 + 0, the ISR at +0x1000, notifications at +0x3000 + 4 * queue."""

    def iowrite(self, off, value, width):  # iowriteN: little-endian register, bus value swapped
        bus = int.from_bytes(value.to_bytes(width, "little"), "big")
        self.ops += struct.pack("<BBHQ", 4, {1: 0, 2: 1, 4: 2, 8: 3}[width], off, bus)

    def init(self, queues, size=8, features_hi=1, features_lo=0):
        self.iowrite(0x14, 0, 1)
        self.iowrite(0x14, 3, 1)
        self.iowrite(0x08, 1, 4)
        self.iowrite(0x0c, features_hi, 4)
        self.iowrite(0x08, 0, 4)
        self.iowrite(0x0c, features_lo, 4)
        self.iowrite(0x14, 0xb, 1)
        for q in range(queues):
            self.queue(q, size)
        self.iowrite(0x14, 0xf, 1)

    def queue(self, q, size, desc=None):
        base = 0x1000 * q
        self.iowrite(0x16, q, 2)
        self.read(0x18, 2)
        self.iowrite(0x18, size, 2)
        for off, addr in ((0x20, desc if desc is not None else DESC + base), (0x28, AVAIL + base),
                          (0x30, USED + base)):
            self.iowrite(off, addr, 4)
            self.iowrite(off + 4, 0, 4)
        self.iowrite(0x1c, 1, 2)
        self.avail_idx[q] = 0

    def kick(self, q):
        self.iowrite(0x3000 + 4 * q, q, 2)
        self.read(0x1000, 1)

    def input(self, selector_extra=0):
        return super().input(selector_extra | 8)


def blk_request(v, kind, sector, length, writable):
    v.ram(DATA, struct.pack("<IIQ", kind, 0, sector))
    v.descriptor(0, 0, DATA, 16, NEXT, 1)
    v.descriptor(0, 1, DATA + 0x1000, length, NEXT | (WRITE if writable else 0), 2)
    v.descriptor(0, 2, DATA + 0x800, 1, WRITE, 0)
    v.make_available(0, 0)
    v.kick(0)


def virtio_seeds(corpus):
    for kind, name in ((BLK, "blk"), (CONSOLE, "console"), (RNG, "rng"), (NET, "net")):
        v = Virtio(kind)
        for off in (0x000, 0x004, 0x008, 0x00c, 0x010, 0x070, 0x100, 0x104):
            v.read(off)
        v.init(2 if kind in (CONSOLE, NET) else 1)
        write(corpus, "virtio", name + "-init", v.input())

    for kind, name in ((BLK, "blk"), (CONSOLE, "console"), (RNG, "rng"), (NET, "net")):
        v = VirtioPci(kind)
        v.init(2 if kind in (CONSOLE, NET) else 1)
        write(corpus, "virtio", "pci-" + name + "-init", v.input())
    v = VirtioPci(BLK)
    v.init(1)
    blk_request(v, 0, 1, 512, True)
    blk_request(v, 1, 2, 512, False)
    # A configuration cycle: MSI-X message control (slot 1, 0x42, 16 bits) = enable.
    v.ops += struct.pack("<BIBBBI", 6, 0x80000840, 0, 0, 2, 0x0080)
    blk_request(v, 4, 0, 0, False)
    write(corpus, "virtio", "pci-blk-read-write-msix", v.input())

    v = Virtio(BLK)
    v.init(1)
    blk_request(v, 0, 1, 512, True)
    blk_request(v, 1, 2, 512, False)
    blk_request(v, 4, 0, 0, False)
    write(corpus, "virtio", "blk-read-write-flush", v.input())
    write(corpus, "virtio", "blk-readonly-write", v.input(selector_extra=4))

    v = Virtio(BLK)
    v.init(1)
    v.ram(DATA, struct.pack("<IIQ", 0, 0, 0))
    v.descriptor(0, 0, DATA, 16, NEXT, 1)
    v.descriptor(0, 1, DATA + 0x1000, 512, NEXT | WRITE, 0)  # loops back to 0
    v.make_available(0, 0)
    v.kick(0)
    write(corpus, "virtio", "blk-descriptor-loop", v.input())

    v = Virtio(BLK)
    v.init(1)
    blk_request(v, 0, 0xffffffffffff, 0xffffffff, True)  # huge length, sector past the end
    v.descriptor(0, 0, 0xfffffffffffff000, 16, NEXT, 1)  # address outside RAM
    v.make_available(0, 0)
    v.kick(0)
    write(corpus, "virtio", "blk-absurd-addresses", v.input())

    v = Virtio(BLK)
    v.init(1, features_lo=1 << 28)  # VIRTIO_RING_F_INDIRECT_DESC
    v.ram(DATA, struct.pack("<IIQ", 0, 0, 3))
    table = DATA + 0x2000
    v.ram(table, struct.pack("<QIHH", DATA, 16, NEXT, 1) +
          struct.pack("<QIHH", DATA + 0x1000, 512, NEXT | WRITE, 2) +
          struct.pack("<QIHH", DATA + 0x800, 1, WRITE, 0))
    v.descriptor(0, 0, table, 48, INDIRECT, 0)
    v.make_available(0, 0)
    v.kick(0)
    write(corpus, "virtio", "blk-indirect", v.input())

    v = Virtio(BLK)
    v.init(1)
    blk_request(v, 0, 1, 512, True)
    v.writel(0x030, 0)
    v.writel(0x038, 0x8000)  # queue size change while live
    v.writel(0x044, 0)
    blk_request(v, 0, 1, 512, True)
    v.writel(0x070, 0)  # reset during I/O
    blk_request(v, 0, 1, 512, True)
    v.reset_device()
    write(corpus, "virtio", "blk-resize-and-reset", v.input())

    v = Virtio(CONSOLE)
    v.init(2)
    v.ram(DATA, b"hello")
    v.descriptor(1, 0, DATA, 5, 0, 0)
    v.make_available(1, 0)
    v.kick(1)
    v.descriptor(0, 0, DATA + 0x100, 64, WRITE, 0)
    v.make_available(0, 0)
    v.kick(0)
    v.host(b"typed input")
    write(corpus, "virtio", "console-tx-rx", v.input())

    v = Virtio(RNG)
    v.init(1)
    v.descriptor(0, 0, DATA, 64, WRITE, 0)
    v.make_available(0, 0)
    v.descriptor(0, 1, DATA, 0x7fffffff, WRITE, 0)
    v.make_available(0, 1)
    v.kick(0)
    write(corpus, "virtio", "rng-fill", v.input())

    v = Virtio(NET)
    v.init(2)
    v.ram(DATA, bytes(12) + b"ethernet frame bytes")
    v.descriptor(1, 0, DATA, 32, 0, 0)
    v.make_available(1, 0)
    v.kick(1)
    v.descriptor(0, 0, DATA + 0x800, 1526, WRITE, 0)
    v.make_available(0, 0)
    v.kick(0)
    v.host(bytes(12) + b"frame from the tap")
    v.host(b"short")
    write(corpus, "virtio", "net-tx-rx", v.input())


# ---- MMIO devices ---------------------------------------------------------

MPIC, UART, GUTS, GPIO = 0, 1, 2, 3


class Mmio:
    def __init__(self):
        self.ops = b""

    def w(self, window, off, value, width=4):
        self.ops += struct.pack("<BBBIQ", 0, window, {1: 0, 2: 1, 4: 2, 8: 3}[width], off, value)

    def r(self, window, off, width=4):
        self.ops += struct.pack("<BBBI", 1, window, {1: 0, 2: 1, 4: 2, 8: 3}[width], off)

    def time(self, ns):
        self.ops += struct.pack("<BI", 2, ns)

    def cpu(self, n):
        self.ops += struct.pack("<BB", 3, n)

    def ack(self, n):
        self.ops += struct.pack("<BB", 4, n)


def mmio_seeds(corpus):
    m = Mmio()  # Linux's mpic_init, then a global timer in core-interrupt mode
    m.w(MPIC, 0x1020, 0x80000000)
    m.r(MPIC, 0x1020)
    m.w(MPIC, 0x1020, 0x60000000)
    m.w(MPIC, 0x10e0, 0xff)
    for n in range(4):
        m.w(MPIC, 0x10000 + n * 0x20, 0x80000000 | n)
        m.w(MPIC, 0x10010 + n * 0x20, 1)
    m.w(MPIC, 0x20080, 0)
    m.w(MPIC, 0x1130, 1)
    m.w(MPIC, 0x1120, (8 << 16) | 0x77)
    m.w(MPIC, 0x1110, 5000)
    m.time(6000)
    m.ack(0)
    m.r(MPIC, 0x200a0)
    m.w(MPIC, 0x200b0, 0)
    write(corpus, "mmio", "mpic-linux-init-timer", m.ops)

    m = Mmio()  # absurd vectors, destinations, counts
    m.w(MPIC, 0x10000, 0xffffffff)
    m.w(MPIC, 0x10010, 0xffffffff)
    m.w(MPIC, 0x1130, 0xffffffff)
    m.w(MPIC, 0x1120, 0x00ff00ff)
    m.w(MPIC, 0x1110, 1)
    m.time(0xffffffff)
    m.cpu(1)
    m.ack(1)
    m.r(MPIC, 0x200a0)
    m.w(MPIC, 0x200b0, 0)
    m.w(MPIC, 0x00f0, 0xffffffff)  # timer frequency
    write(corpus, "mmio", "mpic-absurd", m.ops)

    m = Mmio()  # 8250 probe and a line of output
    m.w(UART, 3, 0x80, 1)
    m.w(UART, 0, 0x01, 1)
    m.w(UART, 1, 0x00, 1)
    m.w(UART, 3, 0x03, 1)
    m.w(UART, 2, 0xc7, 1)
    m.w(UART, 1, 0x0f, 1)
    for c in b"hello\r\n":
        m.r(UART, 5, 1)
        m.w(UART, 0, c, 1)
    m.time(1000000)
    m.r(UART, 2, 1)
    m.r(UART, 6, 1)
    write(corpus, "mmio", "uart-probe-output", m.ops)

    m = Mmio()
    m.r(GUTS, 0x00)
    m.r(GUTS, 0xa0)
    m.w(GUTS, 0xb0, 2)
    write(corpus, "mmio", "guts-reset", m.ops)

    m = Mmio()  # gpio-poweroff: pin 0 as output, driven
    m.w(GPIO, 0x00, 0x80000000)
    m.w(GPIO, 0x0c, 0xffffffff)
    m.w(GPIO, 0x10, 0xffffffff)
    m.w(GPIO, 0x14, 0xffffffff)
    m.w(GPIO, 0x08, 0x80000000)
    m.r(GPIO, 0x08)
    write(corpus, "mmio", "gpio-poweroff", m.ops)


# ---- emulator -------------------------------------------------------------

def emu_input(code, entries=((0, 0xc0000500, 0, 0x3f),), msr=0, pc=0):
    head = bytes([len(entries)])
    for index, mas1, mas2, mas7_3 in entries:
        head += struct.pack("<BIIQ", index, mas1, mas2, mas7_3)
    return head + struct.pack("<II", msr, pc) + code


EMU_PROGRAMS = {
    "arith": "li 3,100\nmtctr 3\n1: addi 4,4,3\nmullw 5,4,4\ndivw 6,5,3\nbdnz 1b\nb .",
    "load-store": "lis 3,0\nori 3,3,0x4000\nli 4,0x55\nstw 4,0(3)\nlwz 5,0(3)\nstb 5,3(3)\n"
                  "lbz 6,3(3)\nlmw 28,0(3)\nstmw 28,16(3)\nlwarx 7,0,3\nstwcx. 7,0,3\nb .",
    "tlbwe": "lis 3,0x1001\nmtspr 624,3\nlis 3,0x8000\nori 3,3,0x0100\nmtspr 625,3\n"
             "lis 3,0x3000\nmtspr 626,3\nli 3,0x3f\nmtspr 627,3\nisync\ntlbwe\nisync\n"
             "lis 4,0x3000\nlwz 5,0(4)\ntlbsx 0,4\ntlbre\ntlbivax 0,4\ntlbsync\nlwz 5,0(4)\nb .",
    "exceptions": "li 3,0\nmtspr 63,3\nli 3,0x100\nmtspr 400,3\nmtspr 402,3\nmtspr 406,3\n"
                  "mtspr 413,3\nsc\n.long 0\ntweq 0,0\nlis 4,0x4000\nlwz 5,0(4)\nb .",
    "mmio-unmapped": "lis 3,0x1005\nmtspr 624,3\nlis 3,0xc000\nori 3,3,0x0500\nmtspr 625,3\n"
                     "lis 3,0xe000\nori 3,3,0xa\nmtspr 626,3\nlis 3,0xf000\nori 3,3,5\nmtspr 627,3\n"
                     "li 3,0xf\nmtspr 944,3\nisync\ntlbwe\nisync\nlis 4,0xe000\nlwz 5,0(4)\nb .",
    "wait-decrementer": "li 3,1000\nmtspr 22,3\nlis 3,0x0400\nmtspr 340,3\nwait\nwrteei 1\nwait\nb .",
    "watchdog": "lis 3,0xffff\nmtspr 340,3\nli 3,0\nmtspr 284,3\nmtspr 285,3\nwait\nb .",
    "fpu": "mfmsr 3\nori 3,3,0x2000\nmtmsr 3\nlis 4,0\nori 4,4,0x4000\nlfd 1,0(4)\nfadd 2,1,1\n"
           "fdiv 3,2,1\nfctiwz 4,3\nstfd 4,8(4)\nmtfsf 0xff,4\nb .",
}


def emu_seeds(corpus, tmp):
    for name, source in EMU_PROGRAMS.items():
        write(corpus, "emu", name, emu_input(assemble(source, tmp, name)))
    code = assemble(EMU_PROGRAMS["arith"], tmp)
    write(corpus, "emu", "no-mapping", emu_input(code, entries=()))
    write(corpus, "emu", "user-mode-odd-tlb",
          emu_input(code, entries=((3, 0xffffffff, 0xfffff000, 0xffffffffffffffff),
                                   (3, 0x80000000, 0, 0)), msr=0x4000, pc=0xfffffffc))


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    for tool in ("powerpc-linux-gnu-as", "powerpc-linux-gnu-objcopy"):
        if not shutil.which(tool):
            sys.exit(f"make_seeds.py: {tool} is needed")
    with tempfile.TemporaryDirectory() as tmp:
        machine_seeds(corpus)
        kernel_seeds(corpus, tmp)
        virtio_seeds(corpus)
        mmio_seeds(corpus)
        emu_seeds(corpus, tmp)


if __name__ == "__main__":
    main()
