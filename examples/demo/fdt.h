/*
 * A small read-only walker over a flattened device tree (the blob the
 * loader hands over in r3), in the manner of libfdt: nodes are byte offsets
 * into the blob, properties are found by name. Enough for a bare-metal
 * program to find its devices; no allocation, no writes.
 */
#ifndef DEMO_FDT_H
#define DEMO_FDT_H

#include <stdint.h>

struct fdt {
    const uint8_t* blob;
    uint32_t off_struct;  /* structure block */
    uint32_t off_strings; /* strings block */
};

/* 0 when `blob` holds a device tree (magic and version checked), -1 otherwise. */
int fdt_init(struct fdt* fdt, const void* blob);

/* The node after `node` in document order (node < 0: the root), or -1 at
 * the end. *depth goes up by one into a child and down when leaving one. */
int fdt_next_node(const struct fdt* fdt, int node, int* depth);

/* The node's name with its unit address ("serial@4500"). */
const char* fdt_get_name(const struct fdt* fdt, int node);

/* A property's value and length in bytes, or 0 when the node lacks it. */
const void* fdt_getprop(const struct fdt* fdt, int node, const char* name, int* len);

/* A one-cell property, or `fallback` when it is missing or shorter. */
uint32_t fdt_getprop_u32(const struct fdt* fdt, int node, const char* name, uint32_t fallback);

/* The parent of `node`, or -1 for the root. */
int fdt_parent(const struct fdt* fdt, int node);

/* The first node after `from` (from < 0: anywhere) whose compatible list
 * holds `compatible`, or -1. */
int fdt_node_by_compatible(const struct fdt* fdt, int from, const char* compatible);

/* The node whose phandle is `phandle`, or -1. */
int fdt_node_by_phandle(const struct fdt* fdt, uint32_t phandle);

/* The node at an absolute path ("/chosen", "/soc@fe0000000/serial@4500"; a
 * component without '@' also matches a name with a unit address), or at an
 * alias ("serial0"), or -1. Stops at ':' (stdout-path options). */
int fdt_path_offset(const struct fdt* fdt, const char* path);

/* Entry `index` of the node's `reg`, translated through every parent's
 * `ranges` to a CPU physical address. 0 on success, -1 when the node has no
 * such entry or a bus on the way does not map it. */
int fdt_reg(const struct fdt* fdt, int node, int index, uint64_t* address, uint64_t* size);

#endif
