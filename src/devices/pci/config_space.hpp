// The 256-byte configuration space of one PCI function (type 0 header), as
// the PCI Local Bus Specification 3.0 lays it out: little-endian bytes, a
// write mask per byte (what the guest may change), write-one-to-clear bits in
// the status register, BARs whose size the guest learns by writing all ones,
// and a capability list. Every access is bounds-checked: a guest may read or
// write any offset with any width and only ever changes writable bits.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace vmc::devices::pci {

// Header offsets and bits (PCI 3.0, 6.1-6.2).
namespace cfg {
constexpr unsigned kVendorId = 0x00, kDeviceId = 0x02, kCommand = 0x04, kStatus = 0x06;
constexpr unsigned kRevision = 0x08, kClassCode = 0x09, kHeaderType = 0x0e;
constexpr unsigned kBar0 = 0x10, kSubsystemVendorId = 0x2c, kSubsystemId = 0x2e;
constexpr unsigned kRomBar = 0x30, kCapabilities = 0x34, kInterruptLine = 0x3c,
                   kInterruptPin = 0x3d;
constexpr unsigned kSize = 256, kBars = 6;
constexpr uint16_t kCommandIo = 1 << 0, kCommandMemory = 1 << 1, kCommandMaster = 1 << 2,
                   kCommandIntxDisable = 1 << 10;
constexpr uint16_t kStatusIntx = 1 << 3, kStatusCapList = 1 << 4;
} // namespace cfg

enum class BarKind { Io, Memory32, Memory64 };

struct BarInfo {
    BarKind kind = BarKind::Memory32;
    uint64_t size = 0; // a power of 2: >= 16 for memory, >= 4 for I/O
    bool prefetchable = false;
};

struct Identity {
    uint16_t vendor = 0, device = 0;
    uint32_t class_code = 0; // base class, sub-class, programming interface (24 bits)
    uint8_t revision = 0;
    uint16_t subsystem_vendor = 0, subsystem = 0;
    uint8_t interrupt_pin = 0; // 0: none, 1-4: INTA-INTD
};

class ConfigSpace {
public:
    explicit ConfigSpace(const Identity& identity);

    // `size` 1, 2 or 4 at any offset; the value is the little-endian bytes
    // as a number (byte at `offset` is bits 0-7). Bytes past the end read as
    // 0 and are not written.
    uint32_t read(unsigned offset, unsigned size) const;
    void write(unsigned offset, uint32_t value, unsigned size);

    // Declares BAR `n` (a 64-bit BAR also takes n+1). Before any capability.
    void add_bar(unsigned n, const BarInfo& bar);
    // Appends a capability with its id and body (the bytes after id and
    // next); `writable` marks bits of the body the guest may change (same
    // length as the body, or empty for read-only). Returns its offset.
    unsigned add_capability(uint8_t id, std::span<const uint8_t> body,
                            std::span<const uint8_t> writable = {});

    // The address the guest assigned to BAR `n`, when the BAR exists and its
    // decoding is on in the command register (I/O or memory).
    std::optional<uint64_t> bar_address(unsigned n) const;
    const std::optional<BarInfo>& bar(unsigned n) const { return bars_[n]; }
    uint16_t command() const { return static_cast<uint16_t>(read(cfg::kCommand, 2)); }
    bool bus_master() const { return command() & cfg::kCommandMaster; }
    bool intx_disabled() const { return command() & cfg::kCommandIntxDisable; }
    uint8_t interrupt_pin() const { return bytes_[cfg::kInterruptPin]; }
    // The INTx status bit (reflects the function's interrupt line).
    void set_intx_status(bool asserted);

    // The device's own writes to read-only bytes (capability state it owns).
    void poke(unsigned offset, std::span<const uint8_t> bytes);
    // Back to power-on values (writable bytes cleared, identity kept).
    void reset();

private:
    void set(unsigned offset, uint32_t value, unsigned size, std::array<uint8_t, cfg::kSize>& a);
    std::array<uint8_t, cfg::kSize> bytes_{};
    std::array<uint8_t, cfg::kSize> writable_{};
    std::array<uint8_t, cfg::kSize> clear_on_write_{};
    std::array<uint8_t, cfg::kSize> power_on_{};
    std::array<std::optional<BarInfo>, cfg::kBars> bars_{};
    unsigned next_capability_ = 0x40;
    unsigned last_capability_ = 0;
};

} // namespace vmc::devices::pci
