// Memory-mapped I/O: a device is a register block with read/write by offset;
// the bus maps guest physical ranges to devices and refuses overlaps.
//
// Values cross this interface as numbers, in the guest's view: a 4-byte
// big-endian load of a register returns `value` unchanged. Engines convert
// from their own representation once (the emulator already has the value;
// KVM hands bytes in guest order).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vmc::vmm {

class MmioHandler {
public:
    virtual ~MmioHandler() = default;
    // `size` is 1, 2, 4 or 8. Reads of unimplemented registers return 0.
    virtual uint64_t mmio_read(uint64_t offset, unsigned size) = 0;
    virtual void mmio_write(uint64_t offset, uint64_t value, unsigned size) = 0;
};

class MmioBus {
public:
    struct Region {
        uint64_t base;
        uint64_t size;
        MmioHandler* handler;
        std::string name;
        // What the handler calls the region's first byte (non-zero for the
        // part of a region that add_inside() split off after another one).
        uint64_t handler_offset = 0;
        // Accesses dispatched to the region (statistics; the bus is used from one thread).
        mutable uint64_t reads = 0, writes = 0;
    };

    // Sees every access after it happened (`--trace mmio`). `region` is null
    // for an access to nothing; `value` is what was read or written.
    class Observer {
    public:
        virtual ~Observer() = default;
        virtual void mmio_access(const Region* region, uint64_t addr, unsigned size, uint64_t value,
                                 bool write) = 0;
    };
    void set_observer(Observer* observer) { observer_ = observer; }

    // Throws std::invalid_argument naming both regions when [base, base+size) overlaps one.
    void add(uint64_t base, uint64_t size, MmioHandler* handler, std::string name);

    // Maps [base, base+size) to `handler` inside a region already mapped,
    // which keeps the rest: a block another device owns within a register
    // window (the MPIC's MSI block). Throws when the range is not inside one
    // region.
    void add_inside(uint64_t base, uint64_t size, MmioHandler* handler, std::string name);

    // The region containing `addr`, or nullptr.
    const Region* find(uint64_t addr) const;

    // false: nothing mapped at [addr, addr+size) (the engine decides what the guest sees).
    bool read(uint64_t addr, unsigned size, uint64_t& value) const;
    bool write(uint64_t addr, unsigned size, uint64_t value) const;

    const std::vector<Region>& regions() const { return regions_; }

private:
    std::vector<Region> regions_; // sorted by base, non-overlapping
    Observer* observer_ = nullptr;
};

} // namespace vmc::vmm
