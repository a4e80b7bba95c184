// ns16550: runtime device. Transmission is instantaneous (the host console
// is never slower than the guest), so THR and the transmitter are always
// empty again by the time the guest looks.
#include "devices/ns16550/ns16550.hpp"

#include "devices/kinds.hpp"
#include "vmm/vm.hpp"

namespace vmc::devices::ns16550 {

namespace {
enum Reg : unsigned { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
constexpr uint8_t kLcrDlab = 0x80;
constexpr uint8_t kIerRda = 0x01, kIerThre = 0x02, kIerRls = 0x04, kIerMsi = 0x08;
constexpr uint8_t kLsrDr = 0x01, kLsrOe = 0x02, kLsrThre = 0x20, kLsrTemt = 0x40;
constexpr uint8_t kIirNone = 0x01, kIirMsi = 0x00, kIirThre = 0x02, kIirRda = 0x04, kIirRls = 0x06;
constexpr uint8_t kMcrLoop = 0x10;
} // namespace

Uart::Uart(std::string name, const Config& config, vmm::IrqLine irq, std::unique_ptr<vmm::Console> console)
    : vmm::Device(std::move(name)), config_(config), irq_(irq), console_(std::move(console)) {
    if (console_) console_->set_input_handler([this](std::span<const uint8_t> b) { receive(b); });
}

void Uart::reset() {
    rx_.clear();
    ier_ = lcr_ = mcr_ = scr_ = fcr_ = dll_ = dlm_ = 0;
    thre_pending_ = rx_overrun_ = false;
    msr_delta_ = 0;
    update_irq();
}

void Uart::receive(std::span<const uint8_t> bytes) {
    for (uint8_t b : bytes) {
        if (rx_.size() >= rx_capacity()) {
            rx_overrun_ = true;
            continue;
        }
        rx_.push_back(b);
    }
    update_irq();
}

void Uart::transmit(uint8_t byte) {
    if (mcr_ & kMcrLoop) { // loopback: the byte comes straight back
        receive({&byte, 1});
        return;
    }
    if (console_) console_->write({&byte, 1});
}

uint64_t Uart::mmio_read(uint64_t offset, unsigned size) {
    unsigned index = static_cast<unsigned>(offset >> config_.reg_shift);
    if (offset & ((1u << config_.reg_shift) - 1) || index > SCR) return 0;
    // A wider access returns the register in its low byte (big-endian bus: the last byte).
    (void)size;
    return read_reg(index);
}

void Uart::mmio_write(uint64_t offset, uint64_t value, unsigned) {
    unsigned index = static_cast<unsigned>(offset >> config_.reg_shift);
    if (offset & ((1u << config_.reg_shift) - 1) || index > SCR) return;
    write_reg(index, static_cast<uint8_t>(value));
}

uint8_t Uart::read_reg(unsigned index) {
    switch (index) {
    case RBR_THR: {
        if (lcr_ & kLcrDlab) return dll_;
        if (rx_.empty()) return 0;
        uint8_t b = rx_.front();
        rx_.pop_front();
        update_irq();
        return b;
    }
    case IER: return (lcr_ & kLcrDlab) ? dlm_ : ier_;
    case IIR_FCR: {
        uint8_t iir = kIirNone;
        if ((ier_ & kIerRls) && rx_overrun_) iir = kIirRls;
        else if ((ier_ & kIerRda) && !rx_.empty()) iir = kIirRda;
        else if ((ier_ & kIerThre) && thre_pending_) {
            iir = kIirThre;
            thre_pending_ = false; // reading IIR with THRE as the cause clears it
        } else if ((ier_ & kIerMsi) && msr_delta_) iir = kIirMsi;
        if (fcr_ & kFcrEnable) iir |= 0xc0;
        update_irq();
        return iir;
    }
    case LCR: return lcr_;
    case MCR: return mcr_;
    case LSR: {
        uint8_t lsr = kLsrThre | kLsrTemt;
        if (!rx_.empty()) lsr |= kLsrDr;
        if (rx_overrun_) lsr |= kLsrOe;
        rx_overrun_ = false;
        update_irq();
        return lsr;
    }
    case MSR: {
        uint8_t msr;
        if (mcr_ & kMcrLoop) // loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD
            msr = static_cast<uint8_t>(((mcr_ & 0x01) << 5) | ((mcr_ & 0x02) << 3) |
                                       ((mcr_ & 0x04) << 4) | ((mcr_ & 0x08) << 4));
        else
            msr = 0xb0; // DCD, DSR, CTS: a connected terminal
        msr |= msr_delta_;
        msr_delta_ = 0;
        update_irq();
        return msr;
    }
    case SCR: return scr_;
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
        // Enabling the THRE interrupt with THR empty raises it (as the 8250 driver expects).
        if ((value & kIerThre) && !(ier_ & kIerThre)) thre_pending_ = true;
        ier_ = value & 0x0f;
        break;
    case IIR_FCR:
        if (value & 0x02) rx_.clear();
        fcr_ = value & 0xc9;
        break;
    case LCR: lcr_ = value; break;
    case MCR: {
        uint8_t old = mcr_;
        mcr_ = value & 0x1f;
        if ((old ^ mcr_) & kMcrLoop) msr_delta_ = 0;
        break;
    }
    case SCR: scr_ = value; break;
    default: break;
    }
    update_irq();
}

void Uart::update_irq() {
    // The receive interrupt is raised as soon as data is there: the host
    // delivers input in bursts, so waiting for the FIFO trigger level would
    // need the character-timeout emulation for no benefit to the guest.
    bool level = ((ier_ & kIerRda) && !rx_.empty()) || ((ier_ & kIerRls) && rx_overrun_) ||
                 ((ier_ & kIerThre) && thre_pending_) || ((ier_ & kIerMsi) && msr_delta_);
    if (level != irq_level_) {
        irq_level_ = level;
        irq_.set(level);
    }
}

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    Config config = parse(device);
    return std::make_unique<Uart>(device.name, config, vm.irq_line(device), vm.open_console(config.console));
}

} // namespace vmc::devices::ns16550
