#!/usr/bin/env python3
"""Device-tree checks of `vmcompose dtb`, one mode per ctest test.

golden       the trees of the released profiles (ppce500@1: the bare profile
             and examples/ppce500.yaml, 1 and 2 CPUs; ppce500@2: the bare
             profile, 1 and 2 CPUs) equal the committed DTS in
             tests/fdt/golden/. `--update` rewrites them.
dtc          dtc decompiles every produced DTB with no warning but the one
             QEMU's tree has too (see ALLOWED_DTC_WARNINGS).
roundtrip    dtc compiling vmcompose's DTS gives a blob that decompiles to
             what vmcompose's DTB decompiles to.
qemu_compare vmcompose's trees for ppce500@1 and ppce500@2 against QEMU's
             live dump of -M ppce500, node by node and property by property;
             deliberate differences are listed below, per profile version.
cli          output plumbing: -o renames a finished file into place, piped
             stdout carries the same bytes, a terminal gets no binary.
qemu_linux   the Linux guest boots on qemu-system-ppc -M ppce500 with
             vmcompose's DTB (QEMU does not rewrite /chosen under -dtb, so
             the initrd range must be where QEMU puts the initrd).
Exit status 77 means skipped (a tool or the guest is missing).
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

SKIP = 77

# What each profile version deliberately does otherwise than QEMU's tree.
DIFFERENCES = {
    1: {
        # Nodes of QEMU's board that version 1 does not model.
        "qemu_only_nodes": {
            "/pci@fe0008000",                      # PCI host bridge: version 1 uses virtio-mmio
            "/soc@fe0000000/msi@41600",            # MSI block, only PCI uses it
            "/soc@fe0000000/i2c@3000",             # I2C controller and its RTC
            "/soc@fe0000000/i2c@3000/rtc@68",
        },
        # Nodes both have under different names: QEMU's memory node has no unit
        # address, which dtc warns about (unit_address_vs_reg).
        "renamed_nodes": {"/memory": "/memory@0"},
        # Properties only QEMU writes.
        "qemu_only_props": {
            "/chosen": {"rng-seed",            # random per boot: vmcompose is deterministic
                        "qemu,boot-kernel"},   # QEMU firmware interface
            "/aliases": {"pci0", "rtc", "i2c"},  # aliases of the nodes above
        },
        # Properties only vmcompose writes.
        "vmcompose_only_props": {
            # Devices on the SoC bus inherit the MPIC as interrupt parent (each also names it).
            "/soc@fe0000000": {"interrupt-parent"},
        },
    },
    2: {
        "qemu_only_nodes": {
            "/soc@fe0000000/i2c@3000",             # I2C controller and its RTC
            "/soc@fe0000000/i2c@3000/rtc@68",
        },
        # The platform bus is named as dt-schema's simple-bus wants it.
        "renamed_nodes": {"/memory": "/memory@0", "/platform@f00000000": "/bus@f00000000"},
        "qemu_only_props": {
            "/chosen": {"rng-seed", "qemu,boot-kernel",
                        "linux,stdout-path"},  # Linux 6.1 reads stdout-path
            "/aliases": {"rtc", "i2c"},
            "/bus@f00000000": {"interrupt-parent"},  # not on bus nodes (dt-schema)
        },
        "vmcompose_only_props": {},
    },
}
# Properties whose cells hold phandles: compared by the path they name, as
# QEMU numbers phandles from 0x8000 and vmcompose from 1. (property, index of
# the phandle cell, or a (first, stride) pair for a cell every `stride`).
PHANDLE_CELLS = {"interrupt-parent": [0], "gpios": [0], "phandle": [0], "linux,phandle": [0],
                 "fsl,msi": [0], "interrupt-map": (4, 7)}

# dtc's simple_bus_reg: power-off has no registers but must sit in the SoC
# bus, the only place Linux on 85xx boards creates devices from (QEMU's tree
# has the same node).
ALLOWED_DTC_WARNINGS = [
    "Warning (simple_bus_reg): /soc@fe0000000/power-off: missing or empty reg/ranges property",
]


def parse_fdt(blob):
    """(reservations, {path: {property: bytes}}) of a flattened device tree."""
    (magic, _total, off_struct, off_strings, off_rsv, _version, _last, _cpu, size_strings,
     _size_struct) = struct.unpack_from(">10I", blob, 0)
    if magic != 0xD00DFEED:
        raise ValueError("not a device tree blob")
    reservations = []
    p = off_rsv
    while True:
        address, size = struct.unpack_from(">QQ", blob, p)
        p += 16
        if address == 0 and size == 0:
            break
        reservations.append((address, size))
    strings = blob[off_strings:off_strings + size_strings]
    nodes, stack, p = {}, [], off_struct
    while True:
        (token,) = struct.unpack_from(">I", blob, p)
        p += 4
        if token == 1:  # begin node
            end = blob.index(b"\0", p)
            name = blob[p:end].decode()
            p = (end + 4) & ~3
            path = "/" if not stack else stack[-1].rstrip("/") + "/" + name
            stack.append(path)
            nodes[path] = {}
        elif token == 3:  # property
            length, nameoff = struct.unpack_from(">II", blob, p)
            p += 8
            pname = strings[nameoff:strings.index(b"\0", nameoff)].decode()
            nodes[stack[-1]][pname] = blob[p:p + length]
            p = (p + length + 3) & ~3
        elif token == 2:
            stack.pop()
        elif token == 4:
            continue
        elif token == 9:
            return reservations, nodes
        else:
            raise ValueError(f"bad token {token:#x}")


def cells(value):
    return list(struct.unpack(f">{len(value) // 4}I", value)) if len(value) % 4 == 0 else None


def phandle_paths(nodes):
    out = {}
    for path, props in nodes.items():
        if "phandle" in props:
            out[struct.unpack(">I", props["phandle"])[0]] = path
    return out


def normalised(name, value, phandles):
    """A property value with phandle cells replaced by the paths they name."""
    if name not in PHANDLE_CELLS:
        return value
    c = cells(value)
    if c is None:
        return value
    if name in ("phandle", "linux,phandle"):
        return "<own phandle>"
    where = PHANDLE_CELLS[name]
    def is_phandle(i):
        return i >= where[0] and (i - where[0]) % where[1] == 0 if isinstance(where, tuple) else i in where
    return [phandles.get(v, f"<dangling {v:#x}>") if is_phandle(i) else v for i, v in enumerate(c)]


def show(value):
    if isinstance(value, bytes):
        c = cells(value)
        printable = value.endswith(b"\0") and all(32 <= b < 127 or b == 0 for b in value)
        return repr(value.decode()) if printable else (str([hex(x) for x in c]) if c is not None else value.hex())
    return str(value)


def compare_trees(qemu_blob, ours_blob, version):
    """Differences between QEMU's tree and ours that are not listed as deliberate."""
    d = DIFFERENCES[version]
    QEMU_ONLY_NODES, RENAMED_NODES = d["qemu_only_nodes"], d["renamed_nodes"]
    QEMU_ONLY_PROPS, VMCOMPOSE_ONLY_PROPS = d["qemu_only_props"], d["vmcompose_only_props"]
    q_rsv, q_nodes = parse_fdt(qemu_blob)
    o_rsv, o_nodes = parse_fdt(ours_blob)
    q_ph, o_ph = phandle_paths(q_nodes), phandle_paths(o_nodes)
    # Phandles resolve to our paths, so map QEMU's renamed paths as well.
    q_ph = {k: RENAMED_NODES.get(v, v) for k, v in q_ph.items()}
    problems, compared = [], 0
    if q_rsv != o_rsv:
        problems.append(f"/memreserve/: QEMU {q_rsv}, vmcompose {o_rsv}")
    q_paths = {RENAMED_NODES.get(p, p): p for p in q_nodes if p not in QEMU_ONLY_NODES}
    for path in sorted(set(q_paths) - set(o_nodes)):
        problems.append(f"{path}: node missing in vmcompose's tree")
    for path in sorted(set(o_nodes) - set(q_paths)):
        problems.append(f"{path}: node not in QEMU's tree")
    for path in sorted(set(q_paths) & set(o_nodes)):
        q_props, o_props = q_nodes[q_paths[path]], o_nodes[path]
        q_names = set(q_props) - QEMU_ONLY_PROPS.get(path, set())
        o_names = set(o_props) - VMCOMPOSE_ONLY_PROPS.get(path, set())
        for name in sorted(q_names - o_names):
            problems.append(f"{path}: {name} missing (QEMU: {show(q_props[name])})")
        for name in sorted(o_names - q_names):
            problems.append(f"{path}: {name} not in QEMU's tree (vmcompose: {show(o_props[name])})")
        for name in sorted(q_names & o_names):
            compared += 1
            qv = normalised(name, q_props[name], q_ph)
            ov = normalised(name, o_props[name], o_ph)
            if qv != ov:
                problems.append(f"{path}: {name}: QEMU {show(qv)}, vmcompose {show(ov)}")
    return problems, compared


def tiny_kernel(path):
    """A 32-bit big-endian PowerPC ELF: one segment at 0 that branches to itself."""
    code = struct.pack(">I", 0x48000000)
    ident = b"\x7fELF\x01\x02\x01" + b"\0" * 9
    ehdr = struct.pack(">16sHHIIIIIHHHHHH", ident, 2, 20, 1, 0, 52, 0, 0, 52, 32, 1, 0, 0, 0)
    phdr = struct.pack(">8I", 1, 84, 0, 0, len(code), len(code), 5, 4)
    with open(path, "wb") as f:
        f.write(ehdr + phdr + code)


class Run:
    def __init__(self, vmc, src, tmp):
        self.vmc, self.src, self.tmp = vmc, src, tmp
        self.kernel = os.path.join(tmp, "kernel.elf")
        self.initrd = os.path.join(tmp, "initrd.img")
        self.disk = os.path.join(tmp, "disk.img")
        tiny_kernel(self.kernel)
        with open(self.initrd, "wb") as f:
            f.write(bytes(range(256)) * 40)  # 10 KiB: pins the initrd end in the goldens
        with open(self.disk, "wb") as f:
            f.write(bytes(4096))

    def variants(self):
        profile = os.path.join(self.src, "tests", "guests", "machine.yaml")
        v2 = os.path.join(self.src, "tests", "fdt", "machines", "ppce500-v2.yaml")
        example = os.path.join(self.src, "examples", "ppce500.yaml")
        boot = ["--set", f"kernel={self.kernel}", "--set", f"initrd={self.initrd}",
                "--set", f"devices.disk0.image={self.disk}"]
        return {
            "ppce500-v1": [profile],
            "ppce500-v1-smp2": [profile, "--set", "cpus=2"],
            "ppce500-v1-example": [example] + boot,
            "ppce500-v1-example-smp2": [example] + boot + ["--set", "cpus=2"],
            "ppce500-v2": [v2],
            "ppce500-v2-smp2": [v2, "--set", "cpus=2"],
        }

    def dtb(self, args, fmt="dtb"):
        run = subprocess.run([self.vmc, "dtb"] + args + ["--format", fmt], capture_output=True)
        if run.returncode != 0:
            raise SystemExit(f"vmcompose dtb {' '.join(args)} failed:\n{run.stderr.decode()}")
        return run.stdout

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path


def golden(r, update):
    failed = False
    for name, args in r.variants().items():
        path = os.path.join(r.src, "tests", "fdt", "golden", name + ".dts")
        got = r.dtb(args, "dts").decode()
        if update:
            with open(path, "w") as f:
                f.write(got)
            continue
        want = open(path).read() if os.path.exists(path) else ""
        if got != want:
            version = int(name.split("-")[1][1:])
            print(f"{name}: the device tree of the released board profile ppce500@{version} changed.\n"
                  "A released profile's guest-visible ABI is pinned: make the change in a new\n"
                  f"profile version (machines/ppce500/v{version + 1}.yaml) instead.\n"
                  f"Compare: vmcompose dtb {' '.join(args)} --format dts | diff {path} -")
            failed = True
    return 1 if failed else 0


def dtc_warnings(r):
    if not shutil.which("dtc"):
        print("skipped: no dtc")
        return SKIP
    failed = False
    for name, args in r.variants().items():
        path = r.write(name + ".dtb", r.dtb(args))
        run = subprocess.run(["dtc", "-I", "dtb", "-O", "dts", "-o", os.devnull, path], capture_output=True)
        lines = [line.split(": ", 1)[-1] for line in run.stderr.decode().splitlines() if line.strip()]
        unexpected = [line for line in lines if line not in ALLOWED_DTC_WARNINGS]
        if run.returncode != 0 or unexpected:
            print(f"{name}: dtc:\n" + "\n".join(unexpected))
            failed = True
    return 1 if failed else 0


def roundtrip(r):
    if not shutil.which("dtc"):
        print("skipped: no dtc")
        return SKIP
    failed = False
    for name, args in r.variants().items():
        ours_dtb = r.write(name + ".dtb", r.dtb(args))
        ours_dts = r.write(name + ".dts", r.dtb(args, "dts"))
        via_dtc = os.path.join(r.tmp, name + ".dtc.dtb")
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", via_dtc, ours_dts], check=True)
        a = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", ours_dtb], capture_output=True, check=True)
        b = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", via_dtc], capture_output=True, check=True)
        if a.stdout != b.stdout:
            print(f"{name}: dtc of vmcompose's DTS says something else than vmcompose's DTB")
            failed = True
    return 1 if failed else 0


def qemu_compare(r):
    if not shutil.which("qemu-system-ppc"):
        print("skipped: no qemu-system-ppc")
        return SKIP
    profiles = {1: os.path.join(r.src, "tests", "guests", "machine.yaml"),
                2: os.path.join(r.src, "tests", "fdt", "machines", "ppce500-v2.yaml")}
    failed = False
    for ncpus in (1, 2):
        dump = os.path.join(r.tmp, f"qemu-{ncpus}.dtb")
        subprocess.run(["qemu-system-ppc", "-M", f"ppce500,dumpdtb={dump}", "-cpu", "e500mc", "-m", "256",
                        "-smp", str(ncpus), "-nographic", "-nic", "none", "-kernel", r.kernel, "-initrd", r.initrd,
                        "-append", "console=ttyS0"],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=30, check=True)
        for version, profile in profiles.items():
            ours = r.dtb([profile, "--set", f"cpus={ncpus}", "--set", f"kernel={r.kernel}",
                          "--set", f"initrd={r.initrd}", "--set", "bootargs=console=ttyS0"])
            problems, compared = compare_trees(open(dump, "rb").read(), ours, version)
            print(f"ppce500@{version}, {ncpus} CPU(s): compared {compared} properties of the nodes both trees have")
            if problems:
                print(f"ppce500@{version}, {ncpus} CPU(s): vmcompose's tree differs from QEMU's ppce500:\n  "
                      + "\n  ".join(problems))
                failed = True
    return 1 if failed else 0


def cli(r):
    import glob
    import pty
    args = r.variants()["ppce500-v1"]
    problems = []
    out_dir = os.path.join(r.tmp, "out")
    os.mkdir(out_dir)
    target = os.path.join(out_dir, "tree.dtb")
    with open(target, "w") as f:
        f.write("old contents")
    run = subprocess.run([r.vmc, "dtb"] + args + ["-o", target], capture_output=True)
    written = open(target, "rb").read()
    if run.returncode != 0 or written != r.dtb(args):
        problems.append("-o FILE does not hold what stdout gets")
    if glob.glob(os.path.join(out_dir, "*.tmp*")):
        problems.append("-o left a temporary file behind")
    run = subprocess.run([r.vmc, "dtb"] + args + ["--format", "dts", "-o", "-"], capture_output=True)
    if run.stdout != r.dtb(args, "dts") or not run.stdout.startswith(b"/dts-v1/;"):
        problems.append("-o - does not write the DTS to stdout")
    bad = os.path.join(r.tmp, "missing-dir", "tree.dtb")
    run = subprocess.run([r.vmc, "dtb"] + args + ["-o", bad], capture_output=True)
    if run.returncode == 0 or bad.encode() not in run.stderr:
        problems.append(f"-o into a missing directory: status {run.returncode}, {run.stderr!r}")
    # A terminal on stdout: refused, with a hint, and no bytes written to it.
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(r.vmc, [r.vmc, "dtb"] + args)
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 2 or b"terminal" not in seen or b"\xd0\x0d\xfe\xed" in seen:
        problems.append(f"binary DTB to a terminal: status {status}, output {seen[:200]!r}")
    for p in problems:
        print(p)
    return 1 if problems else 0


def qemu_linux(r):
    guest = next((d for d in (os.path.join(r.src, "out", "guest"),
                              os.path.join(r.src, "..", "..", "shared", "guest"),
                              os.path.join(r.src, "..", "shared", "guest"))
                  if os.path.exists(os.path.join(d, "vmlinux")) and os.path.exists(os.path.join(d, "initramfs.cpio"))),
                 None)
    if guest is None:
        print("skipped: no Linux guest (vmlinux and initramfs.cpio)")
        return SKIP
    if not shutil.which("qemu-system-ppc"):
        print("skipped: no qemu-system-ppc")
        return SKIP
    vmlinux, initramfs = os.path.join(guest, "vmlinux"), os.path.join(guest, "initramfs.cpio")
    profile = os.path.join(r.src, "tests", "guests", "machine.yaml")
    path = r.write("linux.dtb", r.dtb([profile, "--set", f"kernel={vmlinux}", "--set", f"initrd={initramfs}",
                                       "--set", "bootargs=console=ttyS0"]))
    try:
        run = subprocess.run(["qemu-system-ppc", "-M", "ppce500", "-cpu", "e500mc", "-m", "256", "-nographic", "-nic", "none",
                              "-dtb", path, "-kernel", vmlinux, "-initrd", initramfs],
                             stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
        out = run.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        print("QEMU did not power off within 60 s")
    for marker in ("VMCOMPOSE-GUEST: init started", "reboot: Power down"):
        if marker not in out:
            print(f"Linux on QEMU with vmcompose's DTB: missing {marker!r}\n" + out[-3000:])
            return 1
    print("Linux on QEMU booted with vmcompose's device tree and powered off")
    return 0


def main():
    mode, vmc, src = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
    with tempfile.TemporaryDirectory() as tmp:
        r = Run(vmc, src, tmp)
        if mode == "golden":
            return golden(r, "--update" in sys.argv)
        return {"dtc": dtc_warnings, "cli": cli, "roundtrip": roundtrip, "qemu_compare": qemu_compare,
                "qemu_linux": qemu_linux}[mode](r)


if __name__ == "__main__":
    sys.exit(main())
