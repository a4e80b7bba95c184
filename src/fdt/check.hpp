// Whole-blob validation of a flattened device tree before anything reads it:
// header, block layout and the structure block's tag sequence.
#pragma once

#include <cstddef>

namespace vmc::fdt {

// 0 when the blob (of `size` bytes available) is a well-formed tree, else a
// negative libfdt error code (-FDT_ERR_*; fdt_strerror() names it). Uses
// libfdt's fdt_check_full when the libfdt built against has it (the copy in
// the Linux sources does not), else structural_check().
int check_blob(const void* blob, size_t size);

// The same checks written on libfdt's primitives that every libfdt has
// (fdt_check_header, fdt_next_tag, fdt_get_string): the header and sizes,
// one root node, nodes closed in order, properties only inside nodes with
// names inside the strings block, and FDT_END at depth zero.
int structural_check(const void* blob, size_t size);

} // namespace vmc::fdt
