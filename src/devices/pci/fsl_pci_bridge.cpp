#include "devices/pci/fsl_pci_bridge.hpp"

#include <fmt/format.h>
#include <stdexcept>

namespace vmc::devices::pci {

namespace {
constexpr uint64_t kCfgAddr = 0x000, kCfgData = 0x004, kIntAck = 0x008;
constexpr uint32_t kCfgEnable = 0x80000000u;
constexpr uint16_t kFreescale = 0x1957, kMpc8533e = 0x0030;
constexpr uint32_t kClassPowerPc = 0x0b2000;

uint64_t all_ones(unsigned size) {
    return size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1;
}

// A little-endian number of `size` bytes as a big-endian load sees those bytes.
uint32_t swap_bytes(uint32_t value, unsigned size) {
    uint32_t out = 0;
    for (unsigned i = 0; i < size; ++i)
        out = (out << 8) | ((value >> (8 * i)) & 0xff);
    return out;
}

class BridgeFunction final : public Function {
public:
    explicit BridgeFunction(uint64_t csr_size)
        : Function(Identity{kFreescale, kMpc8533e, kClassPowerPc, 0, 0, 0, 0}) {
        config().add_bar(0, BarInfo{BarKind::Memory32, csr_size, false});
    }
};
} // namespace

FslPciBridge::FslPciBridge(std::string name, const BridgeLayout& layout, vmm::MmioBus& bus,
                           vmm::GuestRam& ram, vmm::IrqRouter& irq)
    : vmm::Device(std::move(name)), layout_(layout), bus_(bus), ram_(ram), irq_(irq),
      self_(std::make_unique<BridgeFunction>(layout.csr_size)), slots_(layout.slots, nullptr),
      memory_(*this, layout.memory, false), io_(*this, layout.io, true) {
    if (!slots_.empty()) slots_[0] = self_.get();
    self_->plug(this, 0);
}

FslPciBridge::~FslPciBridge() = default;

void FslPciBridge::reset() {
    registers_.fill(0);
    self_->reset_function();
}

void FslPciBridge::plug(unsigned slot, Function& function) {
    if (slot == 0 || slot >= slots_.size())
        throw std::invalid_argument(
            fmt::format("{}: PCI slot {} is out of range (1-{})", name(), slot, slots_.size() - 1));
    if (slots_[slot])
        throw std::invalid_argument(fmt::format("{}: PCI slot {} is taken", name(), slot));
    slots_[slot] = &function;
    function.plug(this, slot);
}

uint32_t FslPciBridge::intx_source(unsigned slot, unsigned pin) const {
    return layout_.intx[(slot + pin - 1) % 4];
}

void FslPciBridge::intx_changed(Function& function) {
    uint8_t pin = function.config().interrupt_pin();
    if (pin >= 1 && pin <= 4) drive(intx_source(function.slot(), pin));
}

void FslPciBridge::drive(uint32_t source) {
    bool level = false;
    for (unsigned s = 0; s < slots_.size(); ++s) {
        Function* f = slots_[s];
        uint8_t pin = f ? f->config().interrupt_pin() : 0;
        if (pin >= 1 && pin <= 4 && f->intx_level() && intx_source(s, pin) == source) level = true;
    }
    irq_.set(source, level);
}

void FslPciBridge::bus_write32(uint64_t bus_address, uint32_t value) {
    uint64_t csrbar = self_->config().read(cfg::kBar0, 4) & ~uint64_t{0xf};
    if (csrbar != 0 && bus_address >= csrbar && bus_address - csrbar <= layout_.csr_size - 4) {
        // The CCSR registers are big-endian: the word's little-endian bytes
        // arrive as a big-endian load sees them.
        bus_.write(layout_.csr_base + (bus_address - csrbar), 4, swap_bytes(value, 4));
        return;
    }
    const uint8_t bytes[4] = {static_cast<uint8_t>(value), static_cast<uint8_t>(value >> 8),
                              static_cast<uint8_t>(value >> 16), static_cast<uint8_t>(value >> 24)};
    ram_.write(bus_address, bytes); // outside RAM: dropped, as a master abort is
}

Function* FslPciBridge::selected(unsigned& offset) const {
    uint32_t addr = registers_[kCfgAddr / 4];
    unsigned bus = (addr >> 16) & 0xff, device = (addr >> 11) & 0x1f, fn = (addr >> 8) & 7;
    offset = addr & 0xfc;
    if (!(addr & kCfgEnable) || bus != 0 || fn != 0 || (addr & 0x0f000000) ||
        device >= slots_.size())
        return nullptr;
    return slots_[device];
}

uint32_t FslPciBridge::config_data_read(unsigned lane, unsigned size) const {
    unsigned offset = 0;
    Function* f = selected(offset);
    // Nobody answers: the read completes with all ones (a master abort).
    if (!f) return static_cast<uint32_t>(all_ones(size));
    return swap_bytes(f->config_read(offset + lane, size), size);
}

void FslPciBridge::config_data_write(unsigned lane, uint32_t value, unsigned size) {
    unsigned offset = 0;
    if (Function* f = selected(offset))
        f->config_write(offset + lane, swap_bytes(value, size), size);
}

uint64_t FslPciBridge::mmio_read(uint64_t offset, unsigned size) {
    if (size == 0 || size > 4 || offset >= kRegisterBlockSize) return 0;
    unsigned lane = offset & 3;
    if (lane + size > 4) return 0;
    if (offset - lane == kCfgData) return config_data_read(lane, size);
    if (offset - lane == kIntAck) return 0; // no PCI interrupt acknowledge cycles
    uint32_t word = registers_[offset / 4];
    return (word >> (8 * (4 - lane - size))) & all_ones(size);
}

void FslPciBridge::mmio_write(uint64_t offset, uint64_t value, unsigned size) {
    if (size == 0 || size > 4 || offset >= kRegisterBlockSize) return;
    unsigned lane = offset & 3;
    if (lane + size > 4) return;
    if (offset - lane == kCfgData) {
        config_data_write(lane, static_cast<uint32_t>(value), size);
        return;
    }
    if (offset - lane == kIntAck) return;
    uint32_t shift = 8 * (4 - lane - size);
    uint32_t mask = static_cast<uint32_t>(all_ones(size)) << shift;
    uint32_t& word = registers_[offset / 4];
    word = (word & ~mask) | ((static_cast<uint32_t>(value) << shift) & mask);
}

FslPciBridge::Hit FslPciBridge::decode(uint64_t bus_address, unsigned size, bool io) const {
    // Slot 0 is the bridge: its BAR is an inbound window, not a target here.
    for (size_t s = 1; s < slots_.size(); ++s) {
        Function* f = slots_[s];
        if (!f) continue;
        for (unsigned n = 0; n < cfg::kBars; ++n) {
            const auto& bar = f->config().bar(n);
            if (!bar || (bar->kind == BarKind::Io) != io) continue;
            auto base = f->config().bar_address(n);
            if (!base || bus_address < *base) continue;
            uint64_t offset = bus_address - *base;
            if (offset < bar->size && size <= bar->size - offset) return Hit{f, n, offset};
        }
    }
    return {};
}

uint64_t FslPciBridge::WindowHandler::mmio_read(uint64_t offset, unsigned size) {
    Hit hit = bridge_.decode(window_.bus + offset, size, io_);
    if (!hit.function) return all_ones(size);
    return hit.function->bar_read(hit.bar, hit.offset, size);
}

void FslPciBridge::WindowHandler::mmio_write(uint64_t offset, uint64_t value, unsigned size) {
    Hit hit = bridge_.decode(window_.bus + offset, size, io_);
    if (hit.function) hit.function->bar_write(hit.bar, hit.offset, value, size);
}

} // namespace vmc::devices::pci
