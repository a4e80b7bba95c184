// ns16550: a 16550A UART. Registers at offsets (index << reg_shift).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>

#include "devices/ns16550/ns16550_config.hpp"
#include "vmm/console.hpp"
#include "vmm/device.hpp"
#include "vmm/irq.hpp"

namespace vmc::devices::ns16550 {

class Uart final : public vmm::Device {
public:
    // `console` may be null (output dropped, no input).
    Uart(std::string name, const Config& config, vmm::IrqLine irq, std::unique_ptr<vmm::Console> console);

    uint64_t mmio_read(uint64_t offset, unsigned size) override;
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;
    void reset() override;

    // Bytes from the host side (console input). Dropped when the FIFO is full.
    void receive(std::span<const uint8_t> bytes);

private:
    uint8_t read_reg(unsigned index);
    void write_reg(unsigned index, uint8_t value);
    void transmit(uint8_t byte);
    void update_irq();
    size_t rx_capacity() const { return (fcr_ & kFcrEnable) ? kFifoSize : 1; }

    static constexpr size_t kFifoSize = 16;
    static constexpr uint8_t kFcrEnable = 0x01;

    Config config_;
    vmm::IrqLine irq_;
    std::unique_ptr<vmm::Console> console_;
    std::deque<uint8_t> rx_;
    uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, fcr_ = 0, dll_ = 0, dlm_ = 0;
    bool thre_pending_ = false; // THR-empty interrupt armed (cleared by reading IIR or writing THR)
    bool rx_overrun_ = false;
    uint8_t msr_delta_ = 0;
    bool irq_level_ = false;
};

} // namespace vmc::devices::ns16550
