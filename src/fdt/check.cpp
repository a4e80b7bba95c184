#include "fdt/check.hpp"

#include <libfdt.h>

namespace vmc::fdt {

int structural_check(const void* blob, size_t size) {
    if (size < FDT_V1_SIZE) return -FDT_ERR_TRUNCATED;
    if (int err = fdt_check_header(blob); err != 0) return err;
    if (fdt_totalsize(blob) > size) return -FDT_ERR_TRUNCATED;

    int depth = 0;
    bool root_seen = false;
    int offset = 0;
    for (;;) {
        int next = 0;
        const uint32_t tag = fdt_next_tag(blob, offset, &next);
        // fdt_next_tag reports a tag running past the block, or an unknown
        // tag, as FDT_END with a negative next offset.
        if (next < 0) return next;
        switch (tag) {
        case FDT_NOP:
            break;
        case FDT_BEGIN_NODE:
            if (depth == 0 && root_seen) return -FDT_ERR_BADSTRUCTURE; // a second root
            root_seen = true;
            ++depth;
            break;
        case FDT_END_NODE:
            if (depth == 0) return -FDT_ERR_BADSTRUCTURE;
            --depth;
            break;
        case FDT_PROP: {
            if (depth == 0) return -FDT_ERR_BADSTRUCTURE; // outside every node
            int len = 0;
            const struct fdt_property* prop = fdt_get_property_by_offset(blob, offset, &len);
            if (prop == nullptr) return len;
            if (fdt_get_string(blob, static_cast<int>(fdt32_to_cpu(prop->nameoff)), &len) ==
                nullptr)
                return len;
            break;
        }
        case FDT_END:
            if (depth != 0 || !root_seen) return -FDT_ERR_TRUNCATED;
            return 0;
        default:
            return -FDT_ERR_BADSTRUCTURE;
        }
        offset = next;
    }
}

int check_blob(const void* blob, size_t size) {
#if VMC_HAVE_FDT_CHECK_FULL
    if (size < FDT_V1_SIZE) return -FDT_ERR_TRUNCATED;
    return fdt_check_full(blob, size);
#else
    return structural_check(blob, size);
#endif
}

} // namespace vmc::fdt
