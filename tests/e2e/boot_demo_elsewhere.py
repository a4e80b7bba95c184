#!/usr/bin/env python3
"""The default example's program, unchanged, on a board laid out unlike
ppce500 (tests/e2e/boards/machines/elsewhere/v1.yaml): it must find the
console, the timebase, the MPIC, the power-off GPIO and the virtio devices
at the addresses and interrupts that board's device tree gives, and get
through every stage to power-off.

usage: boot_demo_elsewhere.py VMCOMPOSE SOURCE_DIR
"""
import os
import sys

from boot_demo import boot_and_check

MARKERS = [
    "Hello from the vmcompose bare-metal demo (e500mc)",
    "demo: console serial@2000 at e40002000",
    "demo: timebase 25000000 Hz",
    "demo: mpic pic@100000 at e40100000",
    "demo: power-off gpio controller gpio@1c0000 at e401c0000",
    "demo: power-off on gpio pin 5",
    "demo: decrementer: 5 ticks",
    "demo: mpic: external interrupt, EPR vector 0x42 (IPI 0) ok",
    "virtio_mmio@0 at c20000000, irq 20: virtio version 2, device 2 (block)",
    "|vmcompose demo d|",
    "virtio_mmio@800 at c20000800, irq 21: virtio version 2, device 4 (entropy)",
    "demo: 2 virtio-mmio device(s) found",
    "demo: powering off",
]


def main():
    vmc, src = sys.argv[1], sys.argv[2]
    boards = os.path.join(src, "tests", "e2e", "boards")
    env = dict(os.environ, VMCOMPOSE_DATA_DIR=boards)
    return boot_and_check([vmc, "up", os.path.join(boards, "demo-elsewhere.yaml"),
                           "--timeout", "60"], MARKERS, env)


if __name__ == "__main__":
    sys.exit(main())
