// The Freescale PCI host bridge of the MPC85xx family (`fsl,mpc8540-pci`), as
// QEMU's ppce500 board has it and as Linux's fsl_pci and U-Boot's
// pci_mpc85xx drive it:
//   - indirect configuration cycles: CFG_ADDR (+0x000, big-endian) selects
//     bus/device/function/register, CFG_DATA (+0x004, little-endian data)
//     carries them; bus 0 only, function 0 of each slot, the bridge itself
//     is device 0 (vendor 0x1957, class "PowerPC processor"), its BAR 0 is
//     PCICSRBAR: where bus masters see the CCSR block (MSI writes go there);
//   - the ATMU window registers (+0xc00 outbound, +0xda0 inbound) read back
//     what the guest wrote; the windows themselves are the model's fixed
//     ones (the device tree's `ranges`), which is what Linux and U-Boot
//     program them to;
//   - the memory and I/O windows in the CPU's address space, decoded
//     against the BARs the guest assigned;
//   - INTx of slot s, pin p (1-4) drives MPIC source intx[(s + p - 1) % 4],
//     QEMU's swizzle, the same the `interrupt-map` tells the guest; several
//     functions on one source are wired-OR.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "devices/pci/function.hpp"
#include "vmm/device.hpp"
#include "vmm/guest_ram.hpp"
#include "vmm/irq.hpp"
#include "vmm/mmio.hpp"

namespace vmc::devices::pci {

struct Window {
    uint64_t cpu = 0; // where the CPU sees it
    uint64_t bus = 0; // the PCI address at `cpu`
    uint64_t size = 0;
};

struct BridgeLayout {
    Window memory;
    Window io;
    uint64_t csr_base = 0;          // the block PCICSRBAR exposes to bus masters (CCSR)
    uint64_t csr_size = 0x100000;   // a power of 2: PCICSRBAR's size
    std::array<uint32_t, 4> intx{}; // MPIC sources of INTA-INTD at slot 0
    unsigned slots = 32;            // device numbers 0 (the bridge) .. slots-1
};

class FslPciBridge final : public vmm::Device, public Upstream {
public:
    static constexpr uint64_t kRegisterBlockSize = 0x1000;

    FslPciBridge(std::string name, const BridgeLayout& layout, vmm::MmioBus& bus,
                 vmm::GuestRam& ram, vmm::IrqRouter& irq);
    ~FslPciBridge() override;

    // The bridge's registers (CCSR + 0x8000 on ppce500).
    uint64_t mmio_read(uint64_t offset, unsigned size) override;
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;
    void reset() override;

    // Puts `function` in `slot` (1..slots-1); throws std::invalid_argument
    // when the slot is taken or out of range. The bridge does not own it.
    void plug(unsigned slot, Function& function);
    // The MPIC source that slot/pin (1-4) is routed to.
    uint32_t intx_source(unsigned slot, unsigned pin) const;
    // Handlers of the CPU-side windows (the graph builder maps them).
    vmm::MmioHandler& memory_window() { return memory_; }
    vmm::MmioHandler& io_window() { return io_; }
    const BridgeLayout& layout() const { return layout_; }

    void intx_changed(Function& function) override;
    void bus_write32(uint64_t bus_address, uint32_t value) override;

private:
    // A CPU window: translates to bus addresses and finds the BAR there.
    class WindowHandler final : public vmm::MmioHandler {
    public:
        WindowHandler(FslPciBridge& bridge, const Window& window, bool io)
            : bridge_(bridge), window_(window), io_(io) {}
        uint64_t mmio_read(uint64_t offset, unsigned size) override;
        void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;

    private:
        FslPciBridge& bridge_;
        Window window_;
        bool io_;
    };
    struct Hit {
        Function* function = nullptr;
        unsigned bar = 0;
        uint64_t offset = 0;
    };
    Hit decode(uint64_t bus_address, unsigned size, bool io) const;
    Function* selected(unsigned& offset) const;
    uint32_t config_data_read(unsigned lane, unsigned size) const;
    void config_data_write(unsigned lane, uint32_t value, unsigned size);
    void drive(uint32_t source);

    BridgeLayout layout_;
    vmm::MmioBus& bus_;
    vmm::GuestRam& ram_;
    vmm::IrqRouter& irq_;
    std::unique_ptr<Function> self_; // device 0: the bridge's own header
    std::vector<Function*> slots_;
    std::array<uint32_t, kRegisterBlockSize / 4> registers_{};
    WindowHandler memory_, io_;
};

} // namespace vmc::devices::pci
