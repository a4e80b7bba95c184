// fsl-guts: global utilities. The guest resets the machine through RSTCR
// (+0xb0, bit 0x2, as Linux's fsl_rstcr_restart writes it); the run loop
// then applies the machine's on-reset policy. The identification registers
// read as the MPC8544's, which is what this block is on the ppce500 board.
#include "devices/guts/guts_config.hpp"
#include "devices/guts/kind.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::guts {

namespace {
constexpr uint64_t kPorpllsr = 0x00, kPordevsr2 = 0x14, kPvr = 0xa0, kSvr = 0xa4, kRstcr = 0xb0;
constexpr uint32_t kRstcrReset = 0x2;

class Guts final : public vmm::Device {
public:
    Guts(std::string name, const Config& config, vmm::Vm& vm, uint32_t pvr, uint32_t svr)
        : vmm::Device(std::move(name)), config_(config), vm_(vm), pvr_(pvr), svr_(svr) {}
    uint64_t mmio_read(uint64_t offset, unsigned) override {
        switch (offset) {
        case kPorpllsr:
            return 0x00000a0a; // platform/core PLL ratios as the MPC8544 reports them
        case kPordevsr2:
            return 0;
        case kPvr:
            return pvr_;
        case kSvr:
            return svr_;
        default:
            return 0;
        }
    }
    void mmio_write(uint64_t offset, uint64_t value, unsigned) override {
        if (offset == kRstcr && config_.has_rstcr && (value & kRstcrReset))
            vm_.control.request_reset();
    }

private:
    Config config_;
    vmm::Vm& vm_;
    uint32_t pvr_, svr_;
};
} // namespace

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    return std::make_unique<Guts>(device.name, config_of<Config>(device), vm, vm.machine.cpu.pvr,
                                  vm.machine.cpu.svr);
}

} // namespace vmc::devices::guts
