#include "debug/gdb_stub.hpp"

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

namespace vmc::debug {

using gdb::from_hex;
using gdb::hex_be;
using gdb::parse_hex;
using gdb::to_hex;

namespace {

constexpr size_t kPacketSize = 0x4000;
constexpr size_t kMaxMemoryRequest = (kPacketSize - 16) / 2;

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// "addr,len" (and the rest after `terminator`, if any).
bool parse_range(std::string_view args, uint64_t& addr, uint64_t& len) {
    size_t comma = args.find(',');
    if (comma == std::string_view::npos) return false;
    auto a = parse_hex(args.substr(0, comma));
    auto l = parse_hex(args.substr(comma + 1));
    if (!a || !l) return false;
    addr = *a;
    len = *l;
    return true;
}

} // namespace

GdbStub::GdbStub(Target& target, vmm::EventLoop* events, std::function<void()> kill)
    : target_(target), events_(events), kill_(std::move(kill)) {}

GdbStub::~GdbStub() {
    hang_up();
}

void GdbStub::connect(int fd) {
    fd_ = fd;
    reader_ = {};
    ack_mode_ = true;
    running_ = false;
    interrupted_ = false;
    space_ = AddressSpace::Effective;
    if (events_) events_->add_reader(fd_, [this] { poll_while_running(); });
    target_.attach(*this);
    target_.request_halt();
}

void GdbStub::hang_up() {
    if (fd_ < 0) return;
    if (events_) events_->remove(fd_);
    ::close(fd_);
    fd_ = -1;
}

bool GdbStub::receive(bool block) {
    char buffer[4096];
    for (;;) {
        ssize_t n = ::recv(fd_, buffer, sizeof buffer, block ? 0 : MSG_DONTWAIT);
        if (n > 0) {
            reader_.feed(std::string_view(buffer, static_cast<size_t>(n)));
            return true;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && !block && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
        return false;
    }
}

void GdbStub::send(std::string_view payload) {
    if (fd_ < 0) return;
    last_sent_ = gdb::frame(payload);
    std::string_view rest = last_sent_;
    while (!rest.empty()) {
        ssize_t n = ::send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return; // the read side notices the hang-up
        rest.remove_prefix(static_cast<size_t>(n));
    }
}

void GdbStub::console(std::string_view text) {
    send("O" + to_hex(text));
}

void GdbStub::poll_while_running() {
    if (fd_ < 0) return;
    if (!receive(false)) {
        // gdb went away with the machine running: let it run on undebugged.
        target_.detach();
        hang_up();
        return;
    }
    while (auto event = reader_.next()) {
        if (event->kind == gdb::PacketReader::Event::Kind::Interrupt) {
            interrupted_ = true;
            target_.request_halt();
        }
        // Packets sent while running wait: a non-stop client is not supported,
        // and gdb in all-stop mode sends nothing but Ctrl-C until it hears a stop.
    }
}

void GdbStub::exited(int status) {
    if (fd_ < 0) return;
    if (running_) send(fmt::format("W{:02x}", status & 0xff));
    target_.detach();
    hang_up();
}

Resume GdbStub::stopped(Target& target, const StopEvent& event) {
    (void)target;
    last_stop_ = event;
    general_cpu_ = continue_cpu_ = event.cpu;
    if (fd_ < 0) {
        target_.detach();
        return {};
    }
    if (running_) {
        send(stop_reply(event));
        running_ = false;
    }
    for (;;) {
        auto received = reader_.next();
        if (!received) {
            if (!receive(true)) {
                target_.detach();
                hang_up();
                return {};
            }
            continue;
        }
        using Kind = gdb::PacketReader::Event::Kind;
        switch (received->kind) {
        case Kind::Ack:
        case Kind::Interrupt: // already stopped
            continue;
        case Kind::Nak:
            if (!last_sent_.empty()) {
                std::string again = last_sent_;
                ::send(fd_, again.data(), again.size(), MSG_NOSIGNAL);
            }
            continue;
        case Kind::BadChecksum:
            ::send(fd_, "-", 1, MSG_NOSIGNAL);
            continue;
        case Kind::Packet:
            break;
        }
        if (ack_mode_) ::send(fd_, "+", 1, MSG_NOSIGNAL);
        Next next = Next::Reply;
        Resume resume;
        std::string reply = handle(received->payload, next, resume);
        switch (next) {
        case Next::Reply:
            send(reply);
            if (received->payload == "QStartNoAckMode") ack_mode_ = false;
            break;
        case Next::Resume:
            running_ = true;
            interrupted_ = false;
            // A Ctrl-C that came in the same read as the resume packet.
            while (auto pending = reader_.next())
                if (pending->kind == Kind::Interrupt) {
                    interrupted_ = true;
                    target_.request_halt();
                }
            return resume;
        case Next::Detach:
            send("OK");
            target_.detach();
            hang_up();
            return {};
        case Next::Kill:
            if (starts_with(received->payload, "vKill")) send("OK");
            target_.detach();
            hang_up();
            kill_();
            return {};
        }
    }
}

std::string GdbStub::stop_reply(const StopEvent& e) const {
    int signal = (e.why == StopEvent::Why::Halted && interrupted_) ? 2 : 5;
    std::string reply = fmt::format("T{:02x}thread:{:x};", signal, e.cpu + 1);
    if (e.why == StopEvent::Why::Breakpoint) {
        bool hardware = e.kind == BreakKind::Hardware;
        if (hardware && hwbreak_)
            reply += "hwbreak:;";
        else if (!hardware && swbreak_)
            reply += "swbreak:;";
    } else if (e.why == StopEvent::Why::Watchpoint) {
        const char* name = e.kind == BreakKind::WatchRead     ? "rwatch"
                           : e.kind == BreakKind::WatchAccess ? "awatch"
                                                              : "watch";
        reply += fmt::format("{}:{:x};", name, e.data_address);
    }
    return reply;
}

std::string GdbStub::handle(const std::string& p, Next& next, Resume& resume) {
    if (p.empty()) return {};
    switch (p[0]) {
    case '?':
        return stop_reply(last_stop_);
    case 'g':
        return read_registers();
    case 'G':
        return write_registers(std::string_view(p).substr(1));
    case 'p': {
        auto n = parse_hex(std::string_view(p).substr(1));
        auto info = n ? register_info(static_cast<unsigned>(*n)) : std::nullopt;
        if (!info) return "E01";
        uint64_t value = 0;
        if (!target_.read_register(general_cpu_, info->id, value))
            return std::string(info->bits / 4, 'x');
        return hex_be(value, info->bits / 8);
    }
    case 'P': {
        size_t eq = p.find('=');
        auto n = parse_hex(std::string_view(p).substr(1, eq == std::string::npos ? 0 : eq - 1));
        auto info = n ? register_info(static_cast<unsigned>(*n)) : std::nullopt;
        auto bytes = info ? from_hex(std::string_view(p).substr(eq + 1)) : std::nullopt;
        if (!bytes || bytes->size() != info->bits / 8) return "E01";
        uint64_t value = 0;
        for (uint8_t b : *bytes)
            value = (value << 8) | b;
        return target_.write_register(general_cpu_, info->id, value) ? "OK" : "E01";
    }
    case 'm':
        return read_memory(std::string_view(p).substr(1));
    case 'M':
        return write_memory(std::string_view(p).substr(1));
    case 'c':
    case 'C':
    case 's':
    case 'S':
    case 'v':
        if (p[0] != 'v' || starts_with(p, "vCont")) return resume_packet(p, next, resume);
        if (starts_with(p, "vKill")) {
            next = Next::Kill;
            return {};
        }
        return {};
    case 'H': {
        unsigned cpu = 0;
        if (p.size() < 2 || !select_thread(std::string_view(p).substr(2), cpu)) return "E01";
        (p[1] == 'g' ? general_cpu_ : continue_cpu_) = cpu;
        return "OK";
    }
    case 'T': {
        unsigned cpu = 0;
        return select_thread(std::string_view(p).substr(1), cpu) ? "OK" : "E01";
    }
    case 'Z':
        return breakpoint(p, true);
    case 'z':
        return breakpoint(p, false);
    case 'D':
        next = Next::Detach;
        return {};
    case 'k':
        next = Next::Kill;
        return {};
    case 'q':
    case 'Q':
        return query(p);
    default:
        return {};
    }
}

bool GdbStub::select_thread(std::string_view tid, unsigned& cpu) const {
    if (tid == "-1" || tid == "0") { // any / all: keep the current one
        cpu = general_cpu_;
        return true;
    }
    auto n = parse_hex(tid);
    if (!n || *n == 0 || *n > target_.cpu_count()) return false;
    cpu = static_cast<unsigned>(*n - 1);
    return true;
}

std::string GdbStub::query(const std::string& p) {
    std::string_view v = p;
    if (starts_with(v, "qSupported")) {
        swbreak_ = v.find("swbreak+") != std::string_view::npos;
        hwbreak_ = v.find("hwbreak+") != std::string_view::npos;
        return fmt::format("PacketSize={:x};qXfer:features:read+;swbreak+;hwbreak+;"
                           "QStartNoAckMode+;vContSupported+",
                           kPacketSize);
    }
    if (v == "QStartNoAckMode") return "OK";
    if (starts_with(v, "qXfer:features:read:")) {
        std::string_view rest = v.substr(std::string_view("qXfer:features:read:").size());
        size_t colon = rest.find(':');
        if (colon == std::string_view::npos || rest.substr(0, colon) != "target.xml") return "E00";
        uint64_t offset = 0, length = 0;
        if (!parse_range(rest.substr(colon + 1), offset, length)) return "E00";
        std::string_view xml = target_xml();
        if (offset >= xml.size()) return "l";
        std::string_view chunk = xml.substr(offset, std::min<uint64_t>(length, kPacketSize - 16));
        return std::string(offset + chunk.size() >= xml.size() ? "l" : "m") + std::string(chunk);
    }
    if (v == "qAttached") return "1";
    if (v == "qC") return fmt::format("QC{:x}", general_cpu_ + 1);
    if (v == "qfThreadInfo") {
        std::string reply = "m";
        for (unsigned n = 0; n < target_.cpu_count(); ++n)
            reply += fmt::format("{}{:x}", n ? "," : "", n + 1);
        return reply;
    }
    if (v == "qsThreadInfo") return "l";
    if (starts_with(v, "qThreadExtraInfo,")) {
        auto tid = parse_hex(v.substr(17));
        if (!tid || *tid == 0 || *tid > target_.cpu_count()) return "E01";
        unsigned cpu = static_cast<unsigned>(*tid - 1);
        return to_hex(fmt::format("cpu{}{}", cpu,
                                  target_.cpu_online(cpu) ? "" : " (held in the spin table)"));
    }
    if (starts_with(v, "qRcmd,")) {
        auto bytes = from_hex(v.substr(6));
        if (!bytes) return "E01";
        return monitor(std::string(bytes->begin(), bytes->end()));
    }
    if (starts_with(v, "qSymbol")) return "OK";
    return {};
}

std::string GdbStub::read_registers() {
    std::string reply;
    for (const RegisterInfo& r : registers()) {
        uint64_t value = 0;
        if (target_.read_register(general_cpu_, r.id, value))
            reply += hex_be(value, r.bits / 8);
        else
            reply += std::string(r.bits / 4, 'x');
    }
    return reply;
}

std::string GdbStub::write_registers(std::string_view hex) {
    for (const RegisterInfo& r : registers()) {
        size_t digits = r.bits / 4;
        if (hex.size() < digits) break; // gdb may send fewer registers than we describe
        auto bytes = from_hex(hex.substr(0, digits));
        hex.remove_prefix(digits);
        if (!bytes) continue; // "xx..": leave the register alone
        uint64_t value = 0;
        for (uint8_t b : *bytes)
            value = (value << 8) | b;
        target_.write_register(general_cpu_, r.id, value);
    }
    return "OK";
}

std::string GdbStub::read_memory(std::string_view args) {
    uint64_t addr = 0, len = 0;
    if (!parse_range(args, addr, len)) return "E01";
    std::vector<uint8_t> bytes(std::min<uint64_t>(len, kMaxMemoryRequest));
    size_t done = target_.read_memory(general_cpu_, addr, space_, bytes);
    if (done == 0 && !bytes.empty()) return "E14"; // EFAULT
    bytes.resize(done);
    return to_hex(bytes);
}

std::string GdbStub::write_memory(std::string_view args) {
    size_t colon = args.find(':');
    uint64_t addr = 0, len = 0;
    if (colon == std::string_view::npos || !parse_range(args.substr(0, colon), addr, len))
        return "E01";
    auto bytes = from_hex(args.substr(colon + 1));
    if (!bytes || bytes->size() != len) return "E01";
    return target_.write_memory(general_cpu_, addr, space_, *bytes) == len ? "OK" : "E14";
}

std::string GdbStub::breakpoint(const std::string& p, bool insert) {
    // Z<type>,<addr>,<kind>
    if (p.size() < 4 || p[2] != ',') return "E01";
    static constexpr BreakKind kKinds[] = {BreakKind::Software, BreakKind::Hardware,
                                           BreakKind::WatchWrite, BreakKind::WatchRead,
                                           BreakKind::WatchAccess};
    unsigned type = static_cast<unsigned>(p[1] - '0');
    if (type >= std::size(kKinds)) return {};
    std::string_view rest = std::string_view(p).substr(3);
    size_t semicolon = rest.find(';'); // conditions and commands: not supported, ignored
    uint64_t addr = 0, len = 0;
    if (!parse_range(rest.substr(0, semicolon), addr, len)) return "E01";
    bool ok = insert ? target_.insert_breakpoint(kKinds[type], addr, len)
                     : target_.remove_breakpoint(kKinds[type], addr, len);
    return ok ? "OK" : "E01";
}

std::string GdbStub::resume_packet(const std::string& p, Next& next, Resume& resume) {
    std::string_view v = p;
    if (v == "vCont?") return "vCont;c;C;s;S";
    auto set_pc = [&](std::string_view addr) {
        if (auto a = parse_hex(addr))
            target_.write_register(continue_cpu_, {RegisterId::Kind::Pc, 0}, *a);
    };
    if (p[0] == 'c' || p[0] == 's') {
        set_pc(v.substr(1));
        resume = {p[0] == 's' ? Resume::How::Step : Resume::How::Continue, continue_cpu_};
        next = Next::Resume;
        return {};
    }
    if (p[0] == 'C' || p[0] == 'S') { // C sig[;addr]: the signal means nothing to a machine
        size_t semicolon = v.find(';');
        if (semicolon != std::string_view::npos) set_pc(v.substr(semicolon + 1));
        resume = {p[0] == 'S' ? Resume::How::Step : Resume::How::Continue, continue_cpu_};
        next = Next::Resume;
        return {};
    }
    if (!starts_with(v, "vCont;")) return {};
    // vCont;action[:tid];...: a step for any thread wins (the others stay stopped).
    resume = {Resume::How::Continue, continue_cpu_};
    v.remove_prefix(6);
    while (!v.empty()) {
        size_t semicolon = v.find(';');
        std::string_view action = v.substr(0, semicolon);
        v = semicolon == std::string_view::npos ? std::string_view{} : v.substr(semicolon + 1);
        if (action.empty()) continue;
        char a = action[0];
        if (a != 's' && a != 'S' && a != 'c' && a != 'C') return "E01";
        size_t colon = action.find(':');
        unsigned cpu = last_stop_.cpu;
        if (colon != std::string_view::npos && !select_thread(action.substr(colon + 1), cpu))
            return "E01";
        if (colon == std::string_view::npos) cpu = continue_cpu_;
        if ((a == 's' || a == 'S') && resume.how != Resume::How::Step)
            resume = {Resume::How::Step, cpu};
    }
    next = Next::Resume;
    return {};
}

std::string GdbStub::monitor(const std::string& command) {
    std::string_view c = command;
    while (!c.empty() && c.back() == '\n')
        c.remove_suffix(1);
    if (c == "help" || c.empty()) {
        console("vmcompose monitor commands:\n"
                "  memory physical|effective  addresses of m/M packets (x, set *...)\n"
                "  phys ADDR [LEN]            dump guest-physical memory (hex)\n"
                "  translate ADDR             effective -> physical on the current vCPU\n"
                "  stats                      run statistics so far\n");
        return "OK";
    }
    if (c == "memory physical" || c == "memory effective") {
        space_ = c == "memory physical" ? AddressSpace::Physical : AddressSpace::Effective;
        console(fmt::format("memory accesses use {} addresses\n",
                            space_ == AddressSpace::Physical ? "physical" : "effective"));
        return "OK";
    }
    if (starts_with(c, "phys ")) {
        std::string_view args = c.substr(5);
        size_t space = args.find(' ');
        auto parse = [](std::string_view s) {
            if (starts_with(s, "0x")) s.remove_prefix(2);
            return parse_hex(s);
        };
        auto addr = parse(args.substr(0, space));
        auto len = space == std::string_view::npos ? std::optional<uint64_t>(16)
                                                   : parse(args.substr(space + 1));
        if (!addr || !len || *len > 4096) return to_hex("usage: phys ADDR [LEN<=0x1000] (hex)\n");
        std::vector<uint8_t> bytes(*len);
        size_t done = target_.read_memory(general_cpu_, *addr, AddressSpace::Physical, bytes);
        std::string text;
        for (size_t n = 0; n < done; n += 16) {
            text += fmt::format("{:#011x}:", *addr + n);
            for (size_t k = n; k < std::min(done, n + 16); ++k)
                text += fmt::format(" {:02x}", bytes[k]);
            text += '\n';
        }
        if (done < bytes.size()) text += fmt::format("{:#x}: not guest RAM\n", *addr + done);
        console(text);
        return "OK";
    }
    if (starts_with(c, "translate ")) {
        std::string_view s = c.substr(10);
        if (starts_with(s, "0x")) s.remove_prefix(2);
        auto ea = parse_hex(s);
        uint64_t pa = 0;
        if (!ea) return to_hex("usage: translate ADDR (hex)\n");
        console(target_.translate(general_cpu_, *ea, pa)
                    ? fmt::format("{:#x} -> {:#x}\n", *ea, pa)
                    : fmt::format("{:#x}: no translation on cpu{}\n", *ea, general_cpu_));
        return "OK";
    }
    if (c == "stats") {
        RunStats stats;
        target_.collect_stats(stats);
        console(stats_text(stats));
        return "OK";
    }
    return to_hex(fmt::format("unknown monitor command '{}' (try: monitor help)\n", c));
}

} // namespace vmc::debug
