// ns16550: a 16550A UART. Register i is at offset (i << reg_shift); a wider
// access carries the register in its low byte.
//
// Transmission is instantaneous: the host console is never slower than the
// guest, so THR and the transmitter are empty again by the time the guest
// looks. Reception keeps the host's bytes in a host-side queue and moves
// them into the 16-byte FIFO as the guest drains it, so pasted input is
// never lost to an overrun (the host side cannot be flow-controlled).
// Receive interrupts follow the FIFO trigger level (1/4/8/14 bytes), and
// the character timeout (IIR 0xc) reports data below the trigger level
// after four character times of quiet on guest time, as on the real part.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <span>

#include "devices/ns16550/ns16550_config.hpp"
#include "vmm/clock.hpp"
#include "vmm/console.hpp"
#include "vmm/device.hpp"
#include "vmm/irq.hpp"

namespace vmc::devices::ns16550 {

class Uart final : public vmm::Device {
public:
    // `console` may be null (output dropped, no input). `clock` and `timers`
    // drive the character timeout; without them it fires at once.
    Uart(std::string name, const Config& config, vmm::IrqLine irq,
         std::unique_ptr<vmm::Console> console, vmm::Clock* clock = nullptr,
         vmm::TimerQueue* timers = nullptr);
    ~Uart() override;

    uint64_t mmio_read(uint64_t offset, unsigned size) override;
    void mmio_write(uint64_t offset, uint64_t value, unsigned size) override;
    void reset() override;

    // Bytes from the host side (console input).
    void receive(std::span<const uint8_t> bytes);
    // A break on the line from the host side: a NUL character with LSR[BI]
    // set, after the bytes already queued (Linux takes it as SysRq).
    void receive_break();

    static constexpr size_t kFifoSize = 16;
    static constexpr size_t kHostQueueLimit = 64 * 1024; // beyond this, host input is dropped

private:
    uint8_t read_reg(unsigned index);
    void write_reg(unsigned index, uint8_t value);
    void transmit(uint8_t byte);
    void fill_fifo();
    void push_rx(uint8_t byte); // loopback path: straight into the FIFO, overrun when full
    size_t rx_capacity() const { return fifo_enabled() ? kFifoSize : 1; }
    bool break_at_top() const { return !rx_.empty() && (rx_.front() & kBreak); }
    size_t trigger_level() const;
    bool fifo_enabled() const { return fcr_ & 0x01; }
    uint8_t modem_inputs() const; // MSR bits 4-7
    void set_modem_control(uint8_t mcr);
    uint8_t pending_interrupt() const; // IIR bits 0-3
    void restart_timeout();
    void cancel_timeout();
    uint64_t char_time_ns() const;
    void update_irq();

    Config config_;
    vmm::IrqLine irq_;
    std::unique_ptr<vmm::Console> console_;
    vmm::Clock* clock_;
    vmm::TimerQueue* timers_;
    // A received character, with kBreak for the NUL a break condition leaves.
    static constexpr uint16_t kBreak = 0x100;
    std::deque<uint16_t> host_queue_; // received from the host, not yet in the FIFO
    std::deque<uint16_t> rx_;         // the receive FIFO (or holding register)
    uint8_t ier_ = 0, lcr_ = 0, mcr_ = 0, scr_ = 0, fcr_ = 0, dll_ = 0, dlm_ = 0;
    uint8_t msr_delta_ = 0;     // MSR bits 0-3, cleared by reading MSR
    bool thre_pending_ = false; // THR-empty interrupt (cleared by IIR read or THR write)
    bool overrun_ = false;      // LSR OE, cleared by reading LSR
    bool timeout_pending_ = false;
    vmm::TimerQueue::Id timeout_event_ = 0;
    bool irq_level_ = false;
};

} // namespace vmc::devices::ns16550
