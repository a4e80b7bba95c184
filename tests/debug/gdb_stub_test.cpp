// The GDB stub spoken to over a socket pair, as gdb would, against a scripted
// two-vCPU target: framing, target description, registers, memory, threads,
// breakpoints, watchpoints, step, continue, Ctrl-C, monitor, detach, kill.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>

#include "debug/gdb_packets.hpp"
#include "debug/gdb_server.hpp"
#include "debug/gdb_stub.hpp"

using namespace vmc;
using namespace vmc::debug;

namespace {

// Two vCPUs with plain register files, 64 KiB of RAM at 0x10000 seen at
// effective address 0xc0010000 (and physically at 0x10000).
class FakeTarget : public Target {
public:
    static constexpr uint64_t kRamBase = 0x10000, kVirtBase = 0xc0010000;
    std::vector<uint8_t> ram = std::vector<uint8_t>(0x10000);
    std::map<std::pair<unsigned, std::string>, uint64_t> regs; // (cpu, name)
    std::vector<std::tuple<BreakKind, uint64_t, uint64_t>> breakpoints;
    std::atomic<bool> attached{false}, halt{false};

    void attach(Debugger&) override { attached = true; }
    void detach() override {
        attached = false;
        breakpoints.clear();
    }
    void request_halt() override { halt = true; }
    unsigned cpu_count() const override { return 2; }
    bool cpu_online(unsigned cpu) const override { return cpu == 0; }
    static std::string name_of(RegisterId id) {
        for (const auto& r : registers())
            if (r.id == id) return std::string(r.name);
        return "?";
    }
    bool read_register(unsigned cpu, RegisterId reg, uint64_t& value) override {
        if (reg.kind == RegisterId::Kind::Spr && reg.index == 1023) return false; // no svr
        value = regs[{cpu, name_of(reg)}];
        return true;
    }
    bool write_register(unsigned cpu, RegisterId reg, uint64_t value) override {
        regs[{cpu, name_of(reg)}] = value;
        return true;
    }
    bool translate(unsigned, uint64_t address, uint64_t& physical) override {
        if (address < kVirtBase || address >= kVirtBase + ram.size()) return false;
        physical = address - kVirtBase + kRamBase;
        return true;
    }
    uint8_t* byte(uint64_t address, AddressSpace space) {
        uint64_t pa = address;
        if (space == AddressSpace::Effective && !translate(0, address, pa)) return nullptr;
        if (pa < kRamBase || pa >= kRamBase + ram.size()) return nullptr;
        return &ram[pa - kRamBase];
    }
    size_t read_memory(unsigned, uint64_t address, AddressSpace space,
                       std::span<uint8_t> out) override {
        for (size_t n = 0; n < out.size(); ++n) {
            uint8_t* b = byte(address + n, space);
            if (!b) return n;
            out[n] = *b;
        }
        return out.size();
    }
    size_t write_memory(unsigned, uint64_t address, AddressSpace space,
                        std::span<const uint8_t> in) override {
        for (size_t n = 0; n < in.size(); ++n) {
            uint8_t* b = byte(address + n, space);
            if (!b) return n;
            *b = in[n];
        }
        return in.size();
    }
    bool insert_breakpoint(BreakKind kind, uint64_t address, uint64_t length) override {
        breakpoints.emplace_back(kind, address, length);
        return true;
    }
    bool remove_breakpoint(BreakKind kind, uint64_t address, uint64_t length) override {
        auto it =
            std::find(breakpoints.begin(), breakpoints.end(), std::tuple(kind, address, length));
        if (it == breakpoints.end()) return false;
        breakpoints.erase(it);
        return true;
    }
    void collect_stats(RunStats& stats) const override {
        stats.engine = "fake";
        stats.cpus.resize(2);
        stats.cpus[0].instructions = 1234;
    }
};

// Plays the engine on its own thread: stops, lets the stub serve, and turns
// each resume into the next stop (a step stops at once; a continue stops at
// the first breakpoint or watchpoint inserted, or on Ctrl-C).
class FakeEngine {
public:
    FakeEngine(FakeTarget& target, GdbStub& stub, int fd) : target_(target), stub_(stub), fd_(fd) {
        thread_ = std::thread([this] { run(); });
    }
    ~FakeEngine() { thread_.join(); }
    std::vector<Resume> resumes;

private:
    void run() {
        StopEvent event{StopEvent::Why::Halted, 0, BreakKind::Software, 0};
        while (target_.attached) {
            target_.halt = false;
            Resume how = stub_.stopped(target_, event);
            if (!target_.attached) return;
            resumes.push_back(how);
            if (how.how == Resume::How::Step) {
                event = {StopEvent::Why::Step, how.cpu, BreakKind::Software, 0};
                continue;
            }
            if (!target_.breakpoints.empty()) {
                auto [kind, address, length] = target_.breakpoints.front();
                bool watch = kind != BreakKind::Software && kind != BreakKind::Hardware;
                event = {watch ? StopEvent::Why::Watchpoint : StopEvent::Why::Breakpoint, 1, kind,
                         address};
                if (!watch) target_.regs[{1, "pc"}] = address;
                continue;
            }
            // Running: only Ctrl-C (or a hang-up) stops it.
            while (!target_.halt && target_.attached) {
                pollfd p{fd_, POLLIN, 0};
                if (::poll(&p, 1, 50) > 0) stub_.poll_while_running();
            }
            if (!target_.attached) return;
            event = {StopEvent::Why::Halted, 0, BreakKind::Software, 0};
        }
    }
    FakeTarget& target_;
    GdbStub& stub_;
    int fd_;
    std::thread thread_;
};

// gdb's side of the connection.
class Client {
public:
    explicit Client(int fd) : fd_(fd) {}
    ~Client() { ::close(fd_); }
    void send_raw(std::string_view bytes) {
        REQUIRE(::write(fd_, bytes.data(), bytes.size()) == ssize_t(bytes.size()));
    }
    // Next packet from the stub (acknowledged), skipping acks.
    std::string receive() {
        for (;;) {
            while (auto e = reader_.next()) {
                if (e->kind != gdb::PacketReader::Event::Kind::Packet) continue;
                // Best effort: after a final reply (D, W) the stub may have hung up.
                (void)::send(fd_, "+", 1, MSG_NOSIGNAL);
                return e->payload;
            }
            char buffer[4096];
            ssize_t n = ::read(fd_, buffer, sizeof buffer);
            if (n <= 0) return "<closed>";
            reader_.feed(std::string_view(buffer, size_t(n)));
        }
    }
    std::string ask(std::string_view payload) {
        send_raw(gdb::frame(payload));
        return receive();
    }

private:
    int fd_;
    gdb::PacketReader reader_;
};

struct Session {
    FakeTarget target;
    int fds[2];
    bool killed = false;
    std::unique_ptr<GdbStub> stub;
    std::unique_ptr<Client> gdb;
    std::unique_ptr<FakeEngine> engine;
    Session() {
        REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
        stub = std::make_unique<GdbStub>(target, nullptr, [this] { killed = true; });
        stub->connect(fds[0]);
        gdb = std::make_unique<Client>(fds[1]);
        engine = std::make_unique<FakeEngine>(target, *stub, fds[0]);
    }
    ~Session() {
        if (target.attached) gdb->ask("D");
        engine.reset();
    }
};

} // namespace

TEST_CASE("gdb packets: framing escapes, checksums and split delivery") {
    CHECK(gdb::frame("OK") == "$OK#9a");
    std::string framed = gdb::frame("a#b}c");
    gdb::PacketReader reader;
    reader.feed("+\x03" + framed.substr(0, 4));
    CHECK(reader.next()->kind == gdb::PacketReader::Event::Kind::Ack);
    CHECK(reader.next()->kind == gdb::PacketReader::Event::Kind::Interrupt);
    CHECK_FALSE(reader.next());
    reader.feed(framed.substr(4));
    auto packet = reader.next();
    REQUIRE(packet);
    CHECK(packet->kind == gdb::PacketReader::Event::Kind::Packet);
    CHECK(packet->payload == "a#b}c");
    reader.feed("$OK#00");
    CHECK(reader.next()->kind == gdb::PacketReader::Event::Kind::BadChecksum);
    CHECK(gdb::hex_be(0x1234, 4) == "00001234");
    CHECK(gdb::from_hex("0aFf") == std::vector<uint8_t>{0x0a, 0xff});
    CHECK_FALSE(gdb::from_hex("0g"));
}

TEST_CASE("gdb listen addresses") {
    CHECK(parse_listen_address("tcp::1234").port == 1234);
    CHECK(parse_listen_address("tcp::1234").host.empty());
    auto a = parse_listen_address("tcp:0.0.0.0:99");
    CHECK(a.host == "0.0.0.0");
    CHECK(a.port == 99);
    CHECK_THROWS_AS(parse_listen_address("tcp::http"), std::invalid_argument);
    CHECK_THROWS_AS(parse_listen_address("tcp::70000"), std::invalid_argument);
}

TEST_CASE("gdb stub: features, target description read in pieces, initial stop") {
    Session s;
    std::string supported = s.gdb->ask("qSupported:multiprocess+;swbreak+;hwbreak+");
    CHECK(supported.find("qXfer:features:read+") != std::string::npos);
    CHECK(supported.find("PacketSize=") != std::string::npos);
    std::string xml;
    for (size_t offset = 0;;) {
        std::string part =
            s.gdb->ask(fmt::format("qXfer:features:read:target.xml:{:x},100", offset));
        REQUIRE(!part.empty());
        xml += part.substr(1);
        offset += part.size() - 1;
        if (part[0] == 'l') break;
        REQUIRE(part[0] == 'm');
    }
    CHECK(xml == target_xml());
    CHECK(xml.find("org.gnu.gdb.power.core") != std::string::npos);
    CHECK(xml.find("<reg name=\"fpscr\" bitsize=\"32\" regnum=\"70\"") != std::string::npos);
    CHECK(s.gdb->ask("?") == "T05thread:1;");
    CHECK(s.gdb->ask("qfThreadInfo") == "m1,2");
    CHECK(s.gdb->ask("qsThreadInfo") == "l");
    CHECK(s.gdb->ask("qAttached") == "1");
    CHECK(s.gdb->ask("qThreadExtraInfo,2") == gdb::to_hex("cpu1 (held in the spin table)"));
    CHECK(s.gdb->ask("vMustReplyEmpty").empty());
}

TEST_CASE("gdb stub: registers by g, p and P in target order, per thread") {
    Session s;
    s.target.regs[{0, "r1"}] = 0xc0ffee00;
    s.target.regs[{0, "pc"}] = 0xc0001234;
    s.target.regs[{0, "f1"}] = 0x3ff0000000000000; // 1.0
    s.target.regs[{1, "pc"}] = 0x00000100;
    std::string g = s.gdb->ask("g");
    size_t expected = 0;
    for (const auto& r : registers())
        expected += r.bits / 4;
    REQUIRE(g.size() == expected);
    CHECK(g.substr(8, 8) == "c0ffee00");
    CHECK(g.substr(32 * 8 + 16, 16) == "3ff0000000000000");
    CHECK(g.substr(32 * 8 + 32 * 16, 8) == "c0001234"); // pc follows the FPRs
    size_t svr_offset = 0;
    for (const auto& r : registers()) {
        if (r.name == "svr") break;
        svr_offset += r.bits / 4;
    }
    CHECK(g.substr(svr_offset, 8) == "xxxxxxxx");     // the target has no svr
    CHECK(g.substr(svr_offset - 8, 8) == "00000000"); // svr's neighbour, which it has
    CHECK(s.gdb->ask("p40") == "c0001234");
    CHECK(s.gdb->ask("P1f=deadbeef") == "OK");
    CHECK(s.target.regs[{0, "r31"}] == 0xdeadbeef);
    CHECK(s.gdb->ask("Hg2") == "OK");
    CHECK(s.gdb->ask("p40") == "00000100");
    CHECK(s.gdb->ask("Hg3") == "E01");
    CHECK(s.gdb->ask("p1000") == "E01");
}

TEST_CASE("gdb stub: memory through effective and physical addresses") {
    Session s;
    CHECK(s.gdb->ask("Mc0010010,4:01020304") == "OK");
    CHECK(s.target.ram[0x10] == 1);
    CHECK(s.target.ram[0x13] == 4);
    CHECK(s.gdb->ask("mc0010010,4") == "01020304");
    CHECK(s.gdb->ask("m10010,4") == "E14");     // not mapped effectively
    CHECK(s.gdb->ask("mc001fffe,4") == "0000"); // partial at the end of the mapping
    std::string reply = s.gdb->ask("qRcmd," + gdb::to_hex("memory physical"));
    CHECK(reply[0] == 'O');
    CHECK(s.gdb->receive() == "OK");
    CHECK(s.gdb->ask("m10010,2") == "0102");
    reply = s.gdb->ask("qRcmd," + gdb::to_hex("phys 0x10010 4"));
    REQUIRE(reply[0] == 'O');
    auto text = gdb::from_hex(reply.substr(1));
    REQUIRE(text);
    CHECK(std::string(text->begin(), text->end()).find("01 02 03 04") != std::string::npos);
    CHECK(s.gdb->receive() == "OK");
}

TEST_CASE("gdb stub: breakpoint, continue, stop reply names the vCPU; step") {
    Session s;
    s.gdb->ask("qSupported:swbreak+;hwbreak+");
    CHECK(s.gdb->ask("Z0,c0001000,4") == "OK");
    CHECK(s.gdb->ask("vCont?") == "vCont;c;C;s;S");
    CHECK(s.gdb->ask("vCont;c") == "T05thread:2;swbreak:;");
    CHECK(s.target.regs[{1, "pc"}] == 0xc0001000);
    CHECK(s.gdb->ask("z0,c0001000,4") == "OK");
    CHECK(s.target.breakpoints.empty());
    CHECK(s.gdb->ask("vCont;s:2;c") == "T05thread:2;");
    CHECK(s.gdb->ask("Hc1") == "OK");
    CHECK(s.gdb->ask("s") == "T05thread:1;");
    REQUIRE(s.engine);
}

TEST_CASE("gdb stub: watchpoints report the data address") {
    Session s;
    CHECK(s.gdb->ask("Z2,c0010040,4") == "OK");
    CHECK(s.gdb->ask("c") == "T05thread:2;watch:c0010040;");
    CHECK(s.gdb->ask("z2,c0010040,4") == "OK");
    CHECK(s.gdb->ask("Z4,c0010080,8") == "OK");
    CHECK(s.gdb->ask("c") == "T05thread:2;awatch:c0010080;");
    CHECK(s.gdb->ask("z4,c0010080,8") == "OK");
    CHECK(s.gdb->ask("z4,c0010080,8") == "E01");
}

TEST_CASE("gdb stub: Ctrl-C halts a running machine with SIGINT") {
    Session s;
    s.gdb->send_raw(gdb::frame("c"));
    s.gdb->send_raw("\x03");
    CHECK(s.gdb->receive() == "T02thread:1;");
    CHECK(s.gdb->ask("?") == "T02thread:1;");
}

TEST_CASE("gdb stub: monitor stats and unknown commands") {
    Session s;
    std::string reply = s.gdb->ask("qRcmd," + gdb::to_hex("stats"));
    REQUIRE(reply[0] == 'O');
    auto text = gdb::from_hex(reply.substr(1));
    REQUIRE(text);
    CHECK(std::string(text->begin(), text->end()).find("1234") != std::string::npos);
    CHECK(s.gdb->receive() == "OK");
    auto unknown = gdb::from_hex(s.gdb->ask("qRcmd," + gdb::to_hex("frobnicate")));
    REQUIRE(unknown);
    CHECK(std::string(unknown->begin(), unknown->end()).find("unknown monitor command") !=
          std::string::npos);
}

TEST_CASE("gdb stub: detach lets the machine go and removes breakpoints; kill ends it") {
    {
        Session s;
        CHECK(s.gdb->ask("Z0,c0001000,4") == "OK");
        CHECK(s.gdb->ask("D") == "OK");
        s.engine.reset();
        CHECK_FALSE(s.target.attached);
        CHECK(s.target.breakpoints.empty());
        CHECK_FALSE(s.killed);
    }
    {
        Session s;
        s.gdb->send_raw(gdb::frame("k"));
        s.engine.reset();
        CHECK(s.killed);
        CHECK_FALSE(s.target.attached);
    }
}

TEST_CASE("gdb stub: acknowledgements stop after QStartNoAckMode") {
    Session s;
    CHECK(s.gdb->ask("QStartNoAckMode") == "OK");
    CHECK(s.gdb->ask("qAttached") == "1");
}
