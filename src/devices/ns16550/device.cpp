// ns16550: runtime device (see ns16550.hpp for the model).
#include "devices/ns16550/ns16550.hpp"

#include "devices/ns16550/kind.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::ns16550 {

namespace {
enum Reg : unsigned {
    RBR_THR = 0,
    IER = 1,
    IIR_FCR = 2,
    LCR = 3,
    MCR = 4,
    LSR = 5,
    MSR = 6,
    SCR = 7
};
constexpr uint8_t kLcrDlab = 0x80;
constexpr uint8_t kIerRda = 0x01, kIerThre = 0x02, kIerRls = 0x04, kIerMsi = 0x08;
constexpr uint8_t kLsrDr = 0x01, kLsrOe = 0x02, kLsrBi = 0x10, kLsrThre = 0x20, kLsrTemt = 0x40;
constexpr uint8_t kIirNone = 0x01, kIirMsi = 0x00, kIirThre = 0x02, kIirRda = 0x04, kIirRls = 0x06,
                  kIirTimeout = 0x0c, kIirFifos = 0xc0;
constexpr uint8_t kFcrEnable = 0x01, kFcrClearRx = 0x02;
constexpr uint8_t kMcrDtr = 0x01, kMcrRts = 0x02, kMcrOut1 = 0x04, kMcrOut2 = 0x08, kMcrLoop = 0x10;
constexpr uint8_t kMsrCts = 0x10, kMsrDsr = 0x20, kMsrRi = 0x40, kMsrDcd = 0x80;
constexpr uint8_t kMsrDcts = 0x01, kMsrDdsr = 0x02, kMsrTeri = 0x04, kMsrDdcd = 0x08;
constexpr size_t kTriggerLevels[4] = {1, 4, 8, 14};
} // namespace

Uart::Uart(std::string name, const Config& config, vmm::IrqLine irq,
           std::unique_ptr<vmm::Console> console, vmm::Clock* clock, vmm::TimerQueue* timers)
    : vmm::Device(std::move(name)), config_(config), irq_(irq), console_(std::move(console)),
      clock_(clock), timers_(timers) {
    if (console_) {
        console_->set_input_handler([this](std::span<const uint8_t> b) { receive(b); });
        console_->set_break_handler([this] { receive_break(); });
    }
}

Uart::~Uart() {
    cancel_timeout();
    if (console_) {
        console_->set_input_handler(nullptr);
        console_->set_break_handler(nullptr);
    }
}

void Uart::reset() {
    cancel_timeout();
    host_queue_.clear();
    rx_.clear();
    ier_ = lcr_ = mcr_ = scr_ = fcr_ = dll_ = dlm_ = 0;
    msr_delta_ = 0;
    thre_pending_ = overrun_ = timeout_pending_ = false;
    update_irq();
}

// ---- receive path ------------------------------------------------------

void Uart::receive(std::span<const uint8_t> bytes) {
    for (uint8_t b : bytes)
        if (host_queue_.size() < kHostQueueLimit) host_queue_.push_back(b);
    if (mcr_ & kMcrLoop) return; // in loopback the line is disconnected; the bytes wait
    fill_fifo();
}

void Uart::receive_break() {
    if (host_queue_.size() < kHostQueueLimit) host_queue_.push_back(kBreak);
    if (mcr_ & kMcrLoop) return;
    fill_fifo();
}

void Uart::fill_fifo() {
    bool moved = false;
    while (!host_queue_.empty() && rx_.size() < rx_capacity()) {
        rx_.push_back(host_queue_.front());
        host_queue_.pop_front();
        moved = true;
    }
    if (moved) restart_timeout();
    update_irq();
}

void Uart::push_rx(uint8_t byte) {
    if (rx_.size() >= rx_capacity())
        overrun_ = true;
    else
        rx_.push_back(byte);
    restart_timeout();
    update_irq();
}

size_t Uart::trigger_level() const {
    return fifo_enabled() ? kTriggerLevels[fcr_ >> 6] : 1;
}

uint64_t Uart::char_time_ns() const {
    unsigned divisor = (unsigned{dlm_} << 8) | dll_;
    if (divisor == 0) divisor = 1;
    uint64_t input_clock = config_.clock_frequency ? config_.clock_frequency : 1843200;
    // start + data bits + parity + stop bits, from LCR
    unsigned bits = 1 + 5 + (lcr_ & 0x03) + ((lcr_ & 0x08) ? 1 : 0) + ((lcr_ & 0x04) ? 2 : 1);
    return uint64_t{bits} * 16 * divisor * 1'000'000'000ull /
           input_clock; // bits / (clock / 16 / divisor)
}

void Uart::restart_timeout() {
    cancel_timeout();
    timeout_pending_ = false;
    if (rx_.empty() || !fifo_enabled()) return;
    if (!clock_ || !timers_) {
        timeout_pending_ = true;
        return;
    }
    timeout_event_ = timers_->schedule(clock_->now_ns() + 4 * char_time_ns(), [this] {
        timeout_event_ = 0;
        timeout_pending_ = !rx_.empty();
        update_irq();
    });
}

void Uart::cancel_timeout() {
    if (timeout_event_ && timers_) timers_->cancel(timeout_event_);
    timeout_event_ = 0;
}

// ---- transmit path -----------------------------------------------------

void Uart::transmit(uint8_t byte) {
    if (mcr_ & kMcrLoop)
        push_rx(byte);
    else if (console_)
        console_->write({&byte, 1});
}

// ---- modem lines -------------------------------------------------------

uint8_t Uart::modem_inputs() const {
    if (!(mcr_ & kMcrLoop)) return kMsrDcd | kMsrDsr | kMsrCts; // a connected terminal
    uint8_t msr = 0;
    if (mcr_ & kMcrDtr) msr |= kMsrDsr;
    if (mcr_ & kMcrRts) msr |= kMsrCts;
    if (mcr_ & kMcrOut1) msr |= kMsrRi;
    if (mcr_ & kMcrOut2) msr |= kMsrDcd;
    return msr;
}

void Uart::set_modem_control(uint8_t mcr) {
    uint8_t before = modem_inputs();
    bool leaving_loop = (mcr_ & kMcrLoop) && !(mcr & kMcrLoop);
    mcr_ = mcr & 0x1f;
    uint8_t changed = before ^ modem_inputs();
    if (changed & kMsrCts) msr_delta_ |= kMsrDcts;
    if (changed & kMsrDsr) msr_delta_ |= kMsrDdsr;
    if ((before & kMsrRi) && !(modem_inputs() & kMsrRi)) msr_delta_ |= kMsrTeri;
    if (changed & kMsrDcd) msr_delta_ |= kMsrDdcd;
    if (leaving_loop) fill_fifo(); // host bytes that arrived during loopback
}

// ---- registers ---------------------------------------------------------

uint8_t Uart::pending_interrupt() const {
    if ((ier_ & kIerRls) && (overrun_ || break_at_top())) return kIirRls;
    if ((ier_ & kIerRda) && rx_.size() >= trigger_level()) return kIirRda;
    if ((ier_ & kIerRda) && timeout_pending_ && !rx_.empty()) return kIirTimeout;
    if ((ier_ & kIerThre) && thre_pending_) return kIirThre;
    if ((ier_ & kIerMsi) && msr_delta_) return kIirMsi;
    return kIirNone;
}

uint64_t Uart::mmio_read(uint64_t offset, unsigned) {
    uint64_t stride_mask = (uint64_t{1} << config_.reg_shift) - 1;
    uint64_t index = offset >> config_.reg_shift;
    if ((offset & stride_mask) != 0 && (offset & stride_mask) != stride_mask) return 0;
    return index <= SCR ? read_reg(static_cast<unsigned>(index)) : 0;
}

void Uart::mmio_write(uint64_t offset, uint64_t value, unsigned) {
    uint64_t stride_mask = (uint64_t{1} << config_.reg_shift) - 1;
    uint64_t index = offset >> config_.reg_shift;
    if ((offset & stride_mask) != 0 && (offset & stride_mask) != stride_mask) return;
    if (index <= SCR) write_reg(static_cast<unsigned>(index), static_cast<uint8_t>(value));
}

uint8_t Uart::read_reg(unsigned index) {
    switch (index) {
    case RBR_THR: {
        if (lcr_ & kLcrDlab) return dll_;
        if (rx_.empty()) return 0;
        uint8_t b = static_cast<uint8_t>(rx_.front());
        rx_.pop_front();
        if (!(mcr_ & kMcrLoop)) fill_fifo();
        restart_timeout(); // reading restarts the character timeout
        update_irq();
        return b;
    }
    case IER:
        return (lcr_ & kLcrDlab) ? dlm_ : ier_;
    case IIR_FCR: {
        uint8_t iir = pending_interrupt();
        if (iir == kIirThre) thre_pending_ = false; // reading IIR with THRE as the cause clears it
        update_irq();
        return static_cast<uint8_t>(iir | (fifo_enabled() ? kIirFifos : 0));
    }
    case LCR:
        return lcr_;
    case MCR:
        return mcr_;
    case LSR: {
        uint8_t lsr = kLsrThre | kLsrTemt;
        if (!rx_.empty()) lsr |= kLsrDr;
        if (overrun_) lsr |= kLsrOe;
        if (break_at_top()) lsr |= kLsrBi;
        overrun_ = false;
        update_irq();
        return lsr;
    }
    case MSR: {
        uint8_t msr = modem_inputs() | msr_delta_;
        msr_delta_ = 0;
        update_irq();
        return msr;
    }
    case SCR:
        return scr_;
    }
    return 0;
}

void Uart::write_reg(unsigned index, uint8_t value) {
    switch (index) {
    case RBR_THR:
        if (lcr_ & kLcrDlab) {
            dll_ = value;
            return;
        }
        transmit(value);
        thre_pending_ = true; // sent at once: THR is empty again
        break;
    case IER:
        if (lcr_ & kLcrDlab) {
            dlm_ = value;
            return;
        }
        // Enabling the THRE interrupt while THR is empty raises it at once
        // (Linux's 8250 startup checks exactly that).
        if ((value & kIerThre) && !(ier_ & kIerThre)) thre_pending_ = true;
        ier_ = value & 0x0f;
        break;
    case IIR_FCR: {
        bool toggled = (fcr_ ^ value) & kFcrEnable;
        if ((value & kFcrClearRx) || toggled) {
            rx_.clear();
            timeout_pending_ = false;
            cancel_timeout();
        }
        fcr_ =
            value & 0xc1; // enable and trigger level; the clear bits self-clear, DMA mode is moot
        if (!(mcr_ & kMcrLoop)) fill_fifo();
        break;
    }
    case LCR:
        lcr_ = value;
        break;
    case MCR:
        set_modem_control(value);
        break;
    case SCR:
        scr_ = value;
        break;
    default:
        break; // LSR and MSR are read-only
    }
    update_irq();
}

void Uart::update_irq() {
    bool level = pending_interrupt() != kIirNone;
    if (level != irq_level_) {
        irq_level_ = level;
        irq_.set(level);
    }
}

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    const Config& config = config_of<Config>(device);
    return std::make_unique<Uart>(device.name, config, vm.irq_line(device),
                                  vm.open_console(config.console), &vm.clock, &vm.timers);
}

} // namespace vmc::devices::ns16550
