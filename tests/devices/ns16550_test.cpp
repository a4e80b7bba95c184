// ns16550 through its registers: Linux's 8250 autoconfig probe and startup
// check, transmit, FIFO trigger levels, the character timeout, overrun,
// modem-status deltas, and reg-shift.
#include <catch2/catch.hpp>

#include <string>

#include "devices/ns16550/ns16550.hpp"

using namespace vmc;
using devices::ns16550::Uart;

namespace {

struct CapturedConsole : vmm::Console {
    std::string* out;
    explicit CapturedConsole(std::string* o) : out(o) {}
    void write(std::span<const uint8_t> bytes) override { out->append(bytes.begin(), bytes.end()); }
};

struct LevelSink : vmm::IrqSink {
    bool level = false;
    uint32_t source = 0;
    void set_irq(uint32_t s, bool l) override {
        source = s;
        level = l;
    }
};

enum : unsigned {
    RBR = 0,
    THR = 0,
    DLL = 0,
    IER = 1,
    DLM = 1,
    IIR = 2,
    FCR = 2,
    LCR = 3,
    MCR = 4,
    LSR = 5,
    MSR = 6,
    SCR = 7
};

struct Rig {
    std::string output;
    LevelSink sink;
    vmm::IrqRouter router;
    vmm::Clock clock{vmm::Clock::Mode::Instructions};
    vmm::TimerQueue timers;
    std::unique_ptr<Uart> uart;
    unsigned shift;

    explicit Rig(unsigned reg_shift = 0) : shift(reg_shift) {
        router.connect(&sink);
        devices::ns16550::Config config{{"ns16550"}, 1'843'200, reg_shift,
                                        0,           "",        {"null", {}, false}};
        uart = std::make_unique<Uart>("serial0", config, vmm::IrqLine(&router, 42),
                                      std::make_unique<CapturedConsole>(&output), &clock, &timers);
    }
    uint8_t in(unsigned reg) {
        return static_cast<uint8_t>(uart->mmio_read(uint64_t{reg} << shift, 1));
    }
    void out(unsigned reg, uint8_t v) { uart->mmio_write(uint64_t{reg} << shift, v, 1); }
    void host_sends(const std::string& s) {
        uart->receive({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
    }
    void advance_ns(uint64_t ns) {
        clock.advance(ns);
        timers.run_due(clock.now_ns());
    }
};

} // namespace

TEST_CASE("ns16550 passes the 8250 autoconfig probe as a 16550A") {
    Rig r;
    // IER scratch test
    r.out(IER, 0);
    CHECK((r.in(IER)&0x0f) == 0);
    r.out(IER, 0x0f);
    CHECK((r.in(IER)&0x0f) == 0x0f);
    r.out(IER, 0);
    // loopback test: MCR LOOP|OUT2|RTS -> MSR DCD|CTS
    r.out(MCR, 0x1a);
    CHECK((r.in(MSR)&0xf0) == 0x90);
    r.out(MCR, 0);
    // FIFO type: FCR enable -> IIR top bits 11 (16550A)
    r.out(FCR, 0x01);
    CHECK((r.in(IIR) >> 6) == 3);
    // no EFR: reading "EFR" (IIR) with LCR 0x80 / 0xbf is not 0
    r.out(LCR, 0x80);
    CHECK(r.in(IIR) != 0);
    r.out(LCR, 0xbf);
    CHECK(r.in(IIR) != 0);
    // not a 16750: the 64-byte FIFO bit does not stick
    r.out(LCR, 0);
    r.out(FCR, 0x21);
    CHECK((r.in(IIR) >> 5) == 6);
    // not an XScale UART: IER bit 6 does not stick
    r.out(IER, 0x40);
    CHECK((r.in(IER)&0x40) == 0);
    // scratch register
    r.out(SCR, 0x5a);
    CHECK(r.in(SCR) == 0x5a);
}

TEST_CASE("ns16550 transmits to its console and keeps THR empty") {
    Rig r;
    r.out(LCR, 0x83); // DLAB, 8N1
    r.out(DLL, 0x01);
    r.out(DLM, 0x00);
    CHECK(r.in(DLL) == 0x01);
    r.out(LCR, 0x03);
    for (char c : std::string("Linux\r\n"))
        r.out(THR, static_cast<uint8_t>(c));
    CHECK(r.output == "Linux\r\n");
    CHECK((r.in(LSR)&0x60) == 0x60); // THRE | TEMT
}

TEST_CASE("enabling the THRE interrupt raises it at once; reading IIR clears it, THR refills it") {
    Rig r;
    CHECK_FALSE(r.sink.level);
    r.out(IER, 0x02);
    CHECK(r.sink.level);
    CHECK(r.sink.source == 42);
    CHECK((r.in(LSR)&0x40) != 0);
    CHECK((r.in(IIR)&0x0f) == 0x02);
    CHECK_FALSE(r.sink.level);
    CHECK((r.in(IIR)&0x0f) == 0x01); // nothing pending
    r.out(THR, 'a');
    CHECK(r.sink.level);
    r.out(IER, 0);
    CHECK_FALSE(r.sink.level);
}

TEST_CASE("receive interrupts follow the FIFO trigger level, the rest comes with the timeout") {
    Rig r;
    r.out(LCR, 0x83);
    r.out(DLL, 1); // 115200 baud: one 8N1 character is ~86.8 us
    r.out(LCR, 0x03);
    r.out(FCR, 0x81); // FIFO on, trigger level 8
    r.out(IER, 0x01);
    r.host_sends("abcde");
    CHECK((r.in(LSR)&0x01) == 0x01);
    CHECK_FALSE(r.sink.level); // 5 < 8
    r.advance_ns(300'000);     // < 4 character times
    CHECK_FALSE(r.sink.level);
    r.advance_ns(60'000); // > 4 character times (347 us)
    CHECK(r.sink.level);
    CHECK((r.in(IIR)&0x0f) == 0x0c); // character timeout
    r.host_sends("fgh");
    CHECK((r.in(IIR)&0x0f) == 0x04); // 8 bytes: received data available
    std::string got;
    while (r.in(LSR)&0x01)
        got += static_cast<char>(r.in(RBR));
    CHECK(got == "abcdefgh");
    CHECK_FALSE(r.sink.level);
    CHECK((r.in(IIR)&0x0f) == 0x01);
}

TEST_CASE("host input beyond the FIFO waits instead of overrunning") {
    Rig r;
    r.out(FCR, 0x01);
    std::string pasted;
    for (int i = 0; i < 40; ++i)
        pasted += static_cast<char>('A' + i % 26);
    r.host_sends(pasted);
    std::string got;
    while (r.in(LSR)&0x01)
        got += static_cast<char>(r.in(RBR));
    CHECK(got == pasted);
    CHECK((r.in(LSR)&0x02) == 0); // no overrun
}

TEST_CASE("without FIFOs the holding register takes one byte and interrupts at once") {
    Rig r;
    r.out(IER, 0x01);
    r.host_sends("xy");
    CHECK(r.sink.level);
    CHECK((r.in(IIR)&0xcf) == 0x04); // no FIFO bits
    CHECK(r.in(RBR) == 'x');
    CHECK(r.in(RBR) == 'y');
    CHECK_FALSE(r.sink.level);
}

TEST_CASE("loopback data past a full FIFO sets overrun and the line-status interrupt") {
    Rig r;
    r.out(FCR, 0x01);
    r.out(IER, 0x04);
    r.out(MCR, 0x10);
    for (int i = 0; i < 17; ++i)
        r.out(THR, static_cast<uint8_t>(i));
    CHECK(r.output.empty()); // loopback: nothing leaves the UART
    CHECK(r.sink.level);
    CHECK((r.in(IIR)&0x0f) == 0x06);
    CHECK((r.in(LSR)&0x03) == 0x03); // DR | OE; reading LSR clears OE
    CHECK((r.in(LSR)&0x02) == 0);
    CHECK_FALSE(r.sink.level);
    CHECK(r.in(RBR) == 0);
}

TEST_CASE("modem-status deltas in loopback raise the modem-status interrupt until MSR is read") {
    Rig r;
    r.out(MCR, 0x10);
    (void)r.in(MSR);
    r.out(IER, 0x08);
    r.out(MCR, 0x10 | 0x02 | 0x04); // RTS -> CTS, OUT1 -> RI
    CHECK(r.sink.level);
    CHECK((r.in(IIR)&0x0f) == 0x00);
    CHECK(r.in(MSR) == (0x10 | 0x40 | 0x01)); // CTS, RI, delta CTS
    CHECK_FALSE(r.sink.level);
    r.out(MCR, 0x10); // RI falls: trailing-edge RI
    CHECK((r.in(MSR)&0x0f) == (0x01 | 0x04));
}

TEST_CASE("reg-shift spaces the registers and a byte access reads the low lane") {
    Rig r(2);
    r.out(SCR, 0x77);
    CHECK(r.uart->mmio_read(7 << 2, 4) == 0x77);
    CHECK(r.uart->mmio_read((7 << 2) + 3, 1) == 0x77);
    CHECK(r.uart->mmio_read((7 << 2) + 1, 1) == 0); // middle lanes are not the register
}

TEST_CASE("reset empties the FIFO and drops the interrupt") {
    Rig r;
    r.out(IER, 0x01);
    r.host_sends("z");
    CHECK(r.sink.level);
    r.uart->reset();
    CHECK_FALSE(r.sink.level);
    CHECK((r.in(LSR)&0x01) == 0);
}

TEST_CASE("a break from the host is a NUL with LSR[BI] and the line-status interrupt, in order") {
    Rig r;
    r.out(FCR, 0x01);
    r.out(IER, 0x05); // received data and line status, as Linux's 8250 driver enables
    r.host_sends("a");
    r.uart->receive_break();
    r.host_sends("h"); // the SysRq key that follows the break
    CHECK(r.in(RBR) == 'a');
    CHECK(r.sink.level);
    CHECK((r.in(IIR)&0x0f) == 0x06); // line status: the break is next
    CHECK((r.in(LSR)&0x11) == 0x11); // DR | BI
    CHECK(r.in(RBR) == 0);           // the break's NUL
    CHECK((r.in(LSR)&0x11) == 0x01); // BI went with it
    CHECK((r.in(IIR)&0x0f) != 0x06);
    CHECK(r.in(RBR) == 'h');
    CHECK_FALSE(r.sink.level);
}
