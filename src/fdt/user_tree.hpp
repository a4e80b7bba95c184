// `dtb:` in a machine file: the user's own device tree instead of the one
// vmcompose writes. vmcompose still owns /chosen (bootargs, the initrd, the
// console path when the tree names none), its /memreserve/ entries and, under
// KVM, /hypervisor; and it compares the tree with the one it would have
// written, warning where the tree leaves out or moves a device the machine
// has, or gives other memory or CPUs: such a guest looks for hardware that is
// not there, or misses hardware that is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fdt/compile.hpp"

namespace vmc::fdt {

struct AdoptedTree {
    std::vector<uint8_t> blob;
    std::vector<std::string> warnings; // "the tree has no node /soc@.../serial@4500 ..."
};

// `own` is the tree vmcompose compiled for the machine (the reference for
// the comparison and the source of /chosen and /hypervisor content). Throws
// std::runtime_error naming the file when it cannot be read or is not a
// well-formed flattened device tree of at most `size_limit` bytes.
AdoptedTree adopt_user_tree(const std::string& path, const std::vector<uint8_t>& own,
                            const CompileInputs& inputs, size_t size_limit);

} // namespace vmc::fdt
