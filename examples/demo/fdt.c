/*
 * Flattened device tree walker for the bare-metal demo (see fdt.h).
 * The blob is big-endian, as is the e500 core, so cells are read directly.
 */
#include "fdt.h"

#include <stddef.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define MAX_DEPTH 16

static uint32_t cell(const void* p) { return *(const uint32_t*)p; }
static uint32_t align4(uint32_t n) { return (n + 3u) & ~3u; }

static size_t str_len(const char* s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}
static int str_eq(const char* a, const char* b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

int fdt_init(struct fdt* fdt, const void* blob) {
    const uint8_t* b = blob;
    if (cell(b) != FDT_MAGIC || cell(b + 20) > 17 || cell(b + 24) > 17) return -1;
    fdt->blob = b;
    fdt->off_struct = cell(b + 8);
    fdt->off_strings = cell(b + 12);
    return 0;
}

static uint32_t tag_at(const struct fdt* fdt, int off) { return cell(fdt->blob + off); }

/* The offset just past a FDT_BEGIN_NODE token and its padded name. */
static int after_name(const struct fdt* fdt, int node) {
    const char* name = (const char*)fdt->blob + node + 4;
    return node + 4 + (int)align4((uint32_t)str_len(name) + 1u);
}

/* The offset after the property at `off`. */
static int after_prop(const struct fdt* fdt, int off) {
    return off + 12 + (int)align4(cell(fdt->blob + off + 4));
}

int fdt_next_node(const struct fdt* fdt, int node, int* depth) {
    int off;
    if (node < 0) {
        off = (int)fdt->off_struct;
        while (tag_at(fdt, off) == FDT_NOP) off += 4;
        *depth = 0;
        return tag_at(fdt, off) == FDT_BEGIN_NODE ? off : -1;
    }
    off = after_name(fdt, node);
    for (;;) {
        switch (tag_at(fdt, off)) {
        case FDT_BEGIN_NODE:
            ++*depth;
            return off;
        case FDT_END_NODE:
            off += 4;
            if (--*depth < 0) return -1;
            break;
        case FDT_PROP:
            off = after_prop(fdt, off);
            break;
        case FDT_NOP:
            off += 4;
            break;
        default: /* FDT_END or garbage */
            return -1;
        }
    }
}

const char* fdt_get_name(const struct fdt* fdt, int node) {
    return (const char*)fdt->blob + node + 4;
}

const void* fdt_getprop(const struct fdt* fdt, int node, const char* name, int* len) {
    int off = after_name(fdt, node);
    for (;;) {
        uint32_t tag = tag_at(fdt, off);
        if (tag == FDT_NOP) {
            off += 4;
            continue;
        }
        if (tag != FDT_PROP) return 0; /* properties come before subnodes */
        const char* prop_name = (const char*)fdt->blob + fdt->off_strings + cell(fdt->blob + off + 8);
        if (str_eq(prop_name, name)) {
            if (len) *len = (int)cell(fdt->blob + off + 4);
            return fdt->blob + off + 12;
        }
        off = after_prop(fdt, off);
    }
}

uint32_t fdt_getprop_u32(const struct fdt* fdt, int node, const char* name, uint32_t fallback) {
    int len;
    const void* p = fdt_getprop(fdt, node, name, &len);
    return p && len >= 4 ? cell(p) : fallback;
}

int fdt_parent(const struct fdt* fdt, int node) {
    int stack[MAX_DEPTH];
    int depth = 0;
    for (int n = fdt_next_node(fdt, -1, &depth); n >= 0; n = fdt_next_node(fdt, n, &depth)) {
        if (depth >= MAX_DEPTH) continue;
        stack[depth] = n;
        if (n == node) return depth > 0 ? stack[depth - 1] : -1;
    }
    return -1;
}

static int has_compatible(const struct fdt* fdt, int node, const char* compatible) {
    int len;
    const char* list = fdt_getprop(fdt, node, "compatible", &len);
    for (int i = 0; list && i < len; i += (int)str_len(list + i) + 1)
        if (str_eq(list + i, compatible)) return 1;
    return 0;
}

int fdt_node_by_compatible(const struct fdt* fdt, int from, const char* compatible) {
    int depth = 1 << 20; /* past the end of `from`'s own subtree: keep going */
    int n = from < 0 ? fdt_next_node(fdt, -1, &depth) : fdt_next_node(fdt, from, &depth);
    for (; n >= 0; n = fdt_next_node(fdt, n, &depth))
        if (has_compatible(fdt, n, compatible)) return n;
    return -1;
}

int fdt_node_by_phandle(const struct fdt* fdt, uint32_t phandle) {
    int depth = 0;
    for (int n = fdt_next_node(fdt, -1, &depth); n >= 0; n = fdt_next_node(fdt, n, &depth))
        if (fdt_getprop_u32(fdt, n, "phandle", 0) == phandle ||
            fdt_getprop_u32(fdt, n, "linux,phandle", 0) == phandle)
            return n;
    return -1;
}

/* Does node name `name` match the path component [c, c+n)? */
static int name_matches(const char* name, const char* c, size_t n) {
    int unit = 0;
    for (size_t i = 0; i < n; ++i) {
        if (name[i] != c[i]) return 0;
        unit |= c[i] == '@';
    }
    return name[n] == 0 || (name[n] == '@' && !unit);
}

static int subnode(const struct fdt* fdt, int parent, const char* c, size_t n) {
    int depth = 0;
    for (int node = fdt_next_node(fdt, parent, &depth); node >= 0 && depth > 0;
         node = fdt_next_node(fdt, node, &depth))
        if (depth == 1 && name_matches(fdt_get_name(fdt, node), c, n)) return node;
    return -1;
}

int fdt_path_offset(const struct fdt* fdt, const char* path) {
    if (*path != '/') {
        int depth = 0;
        int aliases = subnode(fdt, fdt_next_node(fdt, -1, &depth), "aliases", 7);
        size_t n = 0;
        while (path[n] && path[n] != ':') n++;
        char name[32];
        if (aliases < 0 || n >= sizeof name) return -1;
        for (size_t i = 0; i < n; ++i) name[i] = path[i];
        name[n] = 0;
        const char* target = fdt_getprop(fdt, aliases, name, 0);
        return target && *target == '/' ? fdt_path_offset(fdt, target) : -1;
    }
    int depth = 0;
    int node = fdt_next_node(fdt, -1, &depth);
    while (node >= 0 && *path && *path != ':') {
        while (*path == '/') path++;
        size_t n = 0;
        while (path[n] && path[n] != '/' && path[n] != ':') n++;
        if (n == 0) break;
        node = subnode(fdt, node, path, n);
        path += n;
    }
    return node;
}

/* Up to the last two cells of `count` at `p`, as one number. */
static uint64_t read_cells(const uint32_t* p, uint32_t count) {
    uint64_t v = 0;
    for (uint32_t i = 0; i < count; ++i) v = (v << 32) | p[i];
    return v;
}

int fdt_reg(const struct fdt* fdt, int node, int index, uint64_t* address, uint64_t* size) {
    int bus = fdt_parent(fdt, node);
    if (bus < 0) return -1;
    uint32_t ac = fdt_getprop_u32(fdt, bus, "#address-cells", 2);
    uint32_t sc = fdt_getprop_u32(fdt, bus, "#size-cells", 1);
    int len;
    const uint32_t* reg = fdt_getprop(fdt, node, "reg", &len);
    if (!reg || len < (index + 1) * (int)(ac + sc) * 4) return -1;
    reg += (uint32_t)index * (ac + sc);
    uint64_t addr = read_cells(reg, ac);
    *size = read_cells(reg + ac, sc);

    /* Walk up: each bus maps its children's addresses into its parent's. */
    for (int parent = fdt_parent(fdt, bus); parent >= 0; bus = parent, parent = fdt_parent(fdt, bus)) {
        const uint32_t* ranges = fdt_getprop(fdt, bus, "ranges", &len);
        if (!ranges) return -1; /* not memory-mapped beyond this bus */
        if (len == 0) continue;  /* identity */
        uint32_t cac = fdt_getprop_u32(fdt, bus, "#address-cells", 2);
        uint32_t csc = fdt_getprop_u32(fdt, bus, "#size-cells", 1);
        uint32_t pac = fdt_getprop_u32(fdt, parent, "#address-cells", 2);
        uint32_t entry = cac + pac + csc;
        int found = 0;
        for (int i = 0; (i + 1) * (int)entry * 4 <= len; ++i) {
            const uint32_t* r = ranges + (uint32_t)i * entry;
            uint64_t child = read_cells(r, cac), up = read_cells(r + cac, pac);
            uint64_t span = read_cells(r + cac + pac, csc);
            if (addr >= child && addr - child < span) {
                addr = up + (addr - child);
                found = 1;
                break;
            }
        }
        if (!found) return -1;
    }
    *address = addr;
    return 0;
}
