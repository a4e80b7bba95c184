#!/usr/bin/env python3
"""`vmcompose show --format svg`: renders the example machine with Graphviz
and reads the picture back as XML: every CPU, device and bus is a node or
cluster with its address range and interrupt line, every interrupt is an edge
into the MPIC, and a --set override shows up in the picture. Without `dot` on
PATH the command must fail with a message that says what to install.

usage: picture_svg.py VMCOMPOSE SOURCE_DIR     (exit 77: Graphviz not installed)
"""
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def render(vmc, machine, stand_in, *extra, env=None):
    return subprocess.run(
        [vmc, "show", machine, "--format", "svg", f"--set=kernel={stand_in}",
         f"--set=initrd={stand_in}", f"--set=devices.disk0.image={stand_in}", *extra],
        stdin=subprocess.DEVNULL, capture_output=True, timeout=60, env=env)


def shapes(svg_text, kind):
    """{title: [text lines]} of the SVG groups of class `kind` (node, edge, cluster)."""
    root = ET.fromstring(svg_text)
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != kind:
            continue
        title = group.find(f"{SVG}title").text
        found[title] = [t.text for t in group.iter(f"{SVG}text")]
    return found


def main():
    vmc, src = sys.argv[1], sys.argv[2]
    if not shutil.which("dot"):
        print("Graphviz's dot is not installed: skipping")
        return 77
    machine = os.path.join(src, "examples", "ppce500.yaml")
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        stand_in = os.path.join(tmp, "file")
        open(stand_in, "wb").close()

        run = render(vmc, machine, stand_in, "--set=cpus=2", "--set=devices.serial0.irq=43")
        if run.returncode != 0:
            print(f"show --format svg failed ({run.returncode}): {run.stderr.decode()}")
            return 1
        svg = run.stdout.decode()
        nodes = shapes(svg, "node")
        edges = shapes(svg, "edge")
        clusters = shapes(svg, "cluster")

        expected_nodes = {
            "cpu0": ["cpu0", "e500mc"],
            "cpu1": ["cpu1", "e500mc"],
            "dev:mpic": ["mpic", "fsl-mpic", "0xfe0040000-0xfe007ffff (256K)"],
            "dev:serial0": ["serial0", "ns16550", "0xfe0004500-0xfe00045ff (0x100)",
                            "irq 43 (level high)"],
            "dev:gpio0": ["gpio0", "mpc8xxx-gpio", "0xfe00ff000-0xfe00fffff (4K)",
                          "irq 47 (level high)"],
            "dev:disk0": ["disk0", "virtio-blk", "0xf00000000-0xf000001ff (0x200)",
                          "irq 5 (level high)"],
            "ram": ["RAM", "0x0-0xfffffff (256M)"],
        }
        for title, lines in expected_nodes.items():
            if title not in nodes:
                problems.append(f"no node {title!r} (nodes: {sorted(nodes)})")
            elif nodes[title] != lines:
                problems.append(f"node {title!r} says {nodes[title]}, expected {lines}")
        for name in ("guts", "power-off", "hvc0", "rng0"):
            if f"dev:{name}" not in nodes:
                problems.append(f"no node for device {name}")

        expected_edges = {
            "dev:serial0->dev:mpic": ["irq 43"],
            "dev:gpio0->dev:mpic": ["irq 47"],
            "dev:disk0->dev:mpic": ["irq 5"],
            "dev:mpic->cpu0": ["int"],
            "dev:mpic->cpu1": ["int"],
            "dev:serial0->console:stdio": ["console"],
        }
        for title, lines in expected_edges.items():
            if edges.get(title) != lines:
                problems.append(f"edge {title!r}: {edges.get(title)}, expected {lines}")

        bus_labels = {tuple(lines) for lines in clusters.values()}
        for label in (("bus soc", "0xfe0000000-0xfe00fffff (1M)"),
                      ("bus platform", "0xf00000000-0xf07ffffff (128M)"), ("CPUs",)):
            if label not in bus_labels:
                problems.append(f"no cluster labelled {label} (clusters: {sorted(bus_labels)})")

        no_dot = dict(os.environ, PATH=tmp)
        run = render(vmc, machine, stand_in, env=no_dot)
        message = run.stderr.decode()
        if run.returncode == 0 or "graphviz" not in message or run.stdout:
            problems.append(f"without dot: exit {run.returncode}, stderr {message!r}, "
                            f"{len(run.stdout)} bytes on stdout")

    for p in problems:
        print("FAIL:", p)
    print(f"{len(nodes)} nodes, {len(edges)} edges, {len(clusters)} clusters checked")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
