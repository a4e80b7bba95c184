#include "devices/pci/config_space.hpp"

#include <stdexcept>

namespace vmc::devices::pci {

namespace {
constexpr uint32_t kBarIo = 1, kBarType64 = 0x4, kBarPrefetch = 0x8;
} // namespace

ConfigSpace::ConfigSpace(const Identity& id) {
    set(cfg::kVendorId, id.vendor, 2, bytes_);
    set(cfg::kDeviceId, id.device, 2, bytes_);
    bytes_[cfg::kRevision] = id.revision;
    set(cfg::kClassCode, id.class_code, 3, bytes_);
    set(cfg::kSubsystemVendorId, id.subsystem_vendor, 2, bytes_);
    set(cfg::kSubsystemId, id.subsystem, 2, bytes_);
    bytes_[cfg::kInterruptPin] = id.interrupt_pin;
    // Command: I/O, memory, bus master, INTx disable. Status: the error bits
    // are write-one-to-clear (none is ever set here, but a guest may write them).
    set(cfg::kCommand,
        cfg::kCommandIo | cfg::kCommandMemory | cfg::kCommandMaster | cfg::kCommandIntxDisable, 2,
        writable_);
    set(cfg::kStatus, 0xf900, 2, clear_on_write_);
    writable_[cfg::kInterruptLine] = 0xff;
    power_on_ = bytes_;
}

void ConfigSpace::set(unsigned offset, uint32_t value, unsigned size,
                      std::array<uint8_t, cfg::kSize>& a) {
    for (unsigned i = 0; i < size && offset + i < cfg::kSize; ++i)
        a[offset + i] = static_cast<uint8_t>(value >> (8 * i));
}

uint32_t ConfigSpace::read(unsigned offset, unsigned size) const {
    uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i)
        if (offset + i < cfg::kSize) v |= uint32_t{bytes_[offset + i]} << (8 * i);
    return v;
}

void ConfigSpace::write(unsigned offset, uint32_t value, unsigned size) {
    for (unsigned i = 0; i < size && i < 4 && offset + i < cfg::kSize; ++i) {
        unsigned at = offset + i;
        uint8_t b = static_cast<uint8_t>(value >> (8 * i));
        bytes_[at] = static_cast<uint8_t>((bytes_[at] & ~writable_[at]) | (b & writable_[at]));
        bytes_[at] &= static_cast<uint8_t>(~(b & clear_on_write_[at]));
    }
}

void ConfigSpace::add_bar(unsigned n, const BarInfo& bar) {
    bool wide = bar.kind == BarKind::Memory64;
    uint64_t min = bar.kind == BarKind::Io ? 4 : 16;
    if (n + (wide ? 1 : 0) >= cfg::kBars || bar.size < min || (bar.size & (bar.size - 1)) ||
        bars_[n] || (wide && bars_[n + 1]) || (bar.kind != BarKind::Memory64 && bar.size >> 32))
        throw std::logic_error("pci: BAR declared out of range, twice or with a bad size");
    bars_[n] = bar;
    uint32_t flags = bar.kind == BarKind::Io
                         ? kBarIo
                         : (wide ? kBarType64 : 0) | (bar.prefetchable ? kBarPrefetch : 0);
    uint64_t mask = ~(bar.size - 1) & ~uint64_t{bar.kind == BarKind::Io ? 3u : 15u};
    unsigned at = cfg::kBar0 + 4 * n;
    set(at, flags, 4, bytes_);
    set(at, static_cast<uint32_t>(mask), 4, writable_);
    if (wide) set(at + 4, static_cast<uint32_t>(mask >> 32), 4, writable_);
    power_on_ = bytes_;
}

unsigned ConfigSpace::add_capability(uint8_t id, std::span<const uint8_t> body,
                                     std::span<const uint8_t> writable) {
    unsigned at = next_capability_;
    if (at + 2 + body.size() > cfg::kSize || (!writable.empty() && writable.size() != body.size()))
        throw std::logic_error("pci: capability does not fit in configuration space");
    bytes_[at] = id;
    bytes_[at + 1] = 0;
    for (size_t i = 0; i < body.size(); ++i) {
        bytes_[at + 2 + i] = body[i];
        writable_[at + 2 + i] = writable.empty() ? 0 : writable[i];
    }
    if (last_capability_)
        bytes_[last_capability_ + 1] = static_cast<uint8_t>(at);
    else
        bytes_[cfg::kCapabilities] = static_cast<uint8_t>(at);
    bytes_[cfg::kStatus] |= cfg::kStatusCapList;
    last_capability_ = at;
    next_capability_ = (at + 2 + static_cast<unsigned>(body.size()) + 3) & ~3u;
    power_on_ = bytes_;
    return at;
}

std::optional<uint64_t> ConfigSpace::bar_address(unsigned n) const {
    if (n >= cfg::kBars || !bars_[n]) return std::nullopt;
    const BarInfo& bar = *bars_[n];
    uint16_t decode = bar.kind == BarKind::Io ? cfg::kCommandIo : cfg::kCommandMemory;
    if (!(command() & decode)) return std::nullopt;
    unsigned at = cfg::kBar0 + 4 * n;
    uint64_t address = read(at, 4) & (bar.kind == BarKind::Io ? ~3u : ~15u);
    if (bar.kind == BarKind::Memory64) address |= uint64_t{read(at + 4, 4)} << 32;
    return address;
}

void ConfigSpace::set_intx_status(bool asserted) {
    if (asserted)
        bytes_[cfg::kStatus] |= cfg::kStatusIntx;
    else
        bytes_[cfg::kStatus] &= static_cast<uint8_t>(~cfg::kStatusIntx);
}

void ConfigSpace::poke(unsigned offset, std::span<const uint8_t> bytes) {
    for (size_t i = 0; i < bytes.size() && offset + i < cfg::kSize; ++i)
        bytes_[offset + i] = bytes[i];
}

void ConfigSpace::reset() {
    bytes_ = power_on_;
}

} // namespace vmc::devices::pci
