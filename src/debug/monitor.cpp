#include "debug/monitor.hpp"

#include <charconv>
#include <fmt/format.h>

#include "debug/memory_map.hpp"

namespace vmc::debug {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

// Splits off the first word of `s`.
std::string_view first_word(std::string_view& s) {
    s = trim(s);
    size_t end = s.find_first_of(" \t");
    std::string_view word = s.substr(0, end);
    s = end == std::string_view::npos ? std::string_view{} : trim(s.substr(end));
    return word;
}

const char* irq_sense_word(model::IrqSense sense) {
    switch (sense) {
    case model::IrqSense::LevelHigh:
        return "level-high";
    case model::IrqSense::LevelLow:
        return "level-low";
    case model::IrqSense::EdgeRising:
        return "edge-rising";
    case model::IrqSense::EdgeFalling:
        return "edge-falling";
    }
    return "?";
}

// "SR SW UR": the access bits of MAS3 (UX SX UW SW UR SR, high to low).
std::string permissions(uint64_t mas7_3) {
    static constexpr const char* kNames[] = {"SR", "UR", "SW", "UW", "SX", "UX"};
    std::string out;
    for (unsigned bit = 0; bit < 6; ++bit)
        if (mas7_3 & (1u << bit)) out += std::string(out.empty() ? "" : " ") + kNames[bit];
    return out.empty() ? "-" : out;
}

// "WIMGE" with '-' for clear bits.
std::string wimge(uint64_t mas2) {
    std::string out = "WIMGE";
    for (unsigned i = 0; i < 5; ++i)
        if (!(mas2 & (0x10u >> i))) out[i] = '-';
    return out;
}

void append_tlb(std::string& out, const char* array, const std::vector<vmm::TlbEntry>& entries,
                bool fixed_4k) {
    for (size_t i = 0; i < entries.size(); ++i) {
        const vmm::TlbEntry& e = entries[i];
        if (!(e.mas1 & 0x80000000u)) continue; // MAS1[V]
        unsigned tsize = (e.mas1 >> 7) & 0x1f;
        uint64_t size = fixed_4k ? 0x1000 : uint64_t{1024} << tsize;
        out += fmt::format(
            "{}[{:>3}]  ea {:#010x}  pa {:#011x}  {:>5}  tid {:<5} ts {}  {}  {}{}{}\n", array, i,
            e.mas2 & ~uint64_t{0xfff}, e.mas7_3 & ~uint64_t{0xfff}, human_size(size),
            (e.mas1 >> 16) & 0x3fff, (e.mas1 >> 12) & 1, wimge(e.mas2), permissions(e.mas7_3),
            (e.mas1 & 0x40000000u) ? "  iprot" : "",
            e.mas8 ? fmt::format("  mas8 {:#010x}", e.mas8) : "");
    }
}

} // namespace

std::string_view monitor_help() {
    return "help                  this list\n"
           "info registers [CPU]  a vCPU's registers (default 0)\n"
           "info tlb [CPU]        its valid TLB entries\n"
           "info mtree            the guest-physical memory map\n"
           "info irq              interrupt sources: device, sense, level, times raised\n"
           "stop                  halt every vCPU\n"
           "cont                  let them run again\n"
           "quit                  end the run (exit status 6)\n";
}

Monitor::Monitor(vmm::Vm& vm, Target* target, bool gdb_present)
    : vm_(vm), target_(target), gdb_present_(gdb_present) {}

std::string Monitor::execute(std::string_view line) {
    std::string_view args = line;
    std::string_view command = first_word(args);
    if (command.empty()) return {};
    if (command == "help" || command == "?") return std::string(monitor_help());
    if (command == "info") {
        std::string_view what = first_word(args);
        return info(what, args);
    }
    if (command == "stop") return stop();
    if (command == "cont" || command == "c") return cont();
    if (command == "quit" || command == "q") {
        vm_.control.request_stop(vmm::ExitReason::UserQuit, "quit from the monitor");
        vm_.events.wake();
        return {};
    }
    return fmt::format("unknown command '{}' (help lists the commands)\n", command);
}

std::string Monitor::info(std::string_view what, std::string_view args) {
    if (what == "registers") return info_registers(args);
    if (what == "tlb") return info_tlb(args);
    if (what == "mtree") return memory_map_text(vm_.machine);
    if (what == "irq") return info_irq();
    return fmt::format("info {}: expected registers, tlb, mtree or irq\n",
                       what.empty() ? "needs what to show:" : what);
}

bool Monitor::cpu_argument(std::string_view args, unsigned& cpu, std::string& error) const {
    cpu = 0;
    if (!target_) {
        error = "this engine has no debug interface\n";
        return false;
    }
    if (!args.empty()) {
        auto [end, ec] = std::from_chars(args.data(), args.data() + args.size(), cpu);
        if (ec != std::errc() || end != args.data() + args.size()) {
            error = fmt::format("'{}' is not a CPU number\n", args);
            return false;
        }
    }
    if (cpu >= target_->cpu_count()) {
        error = fmt::format("no CPU {} (this machine has {})\n", cpu, target_->cpu_count());
        return false;
    }
    return true;
}

std::string Monitor::info_registers(std::string_view args) {
    unsigned cpu = 0;
    std::string error;
    if (!cpu_argument(args, cpu, error)) return error;
    std::string out = fmt::format("cpu {}{}\n", cpu, target_->cpu_online(cpu) ? "" : " (held)");
    unsigned column = 0;
    for (const RegisterInfo& r : registers()) {
        if (r.group == "float") continue;
        uint64_t value = 0;
        if (!target_->read_register(cpu, r.id, value)) continue;
        out += fmt::format("{:>8} {:08x}", r.name, value);
        out += ++column % 4 == 0 ? "\n" : "  ";
    }
    if (column % 4 != 0) out += "\n";
    return out;
}

std::string Monitor::info_tlb(std::string_view args) {
    unsigned cpu = 0;
    std::string error;
    if (!cpu_argument(args, cpu, error)) return error;
    std::vector<vmm::TlbEntry> tlb0, tlb1;
    if (!target_->read_tlb(cpu, tlb0, tlb1)) return "this engine cannot show its TLB\n";
    std::string out = fmt::format("cpu {}: valid entries of TLB1 ({}) and TLB0 ({})\n", cpu,
                                  tlb1.size(), tlb0.size());
    append_tlb(out, "TLB1", tlb1, false);
    append_tlb(out, "TLB0", tlb0, true);
    return out;
}

std::string Monitor::info_irq() const {
    std::string out = "source  sense         level  raised  device\n";
    for (const model::Device& d : vm_.machine.devices) {
        if (!d.irq) continue;
        vmm::IrqRouter::LineState line = vm_.irq.line(d.irq->source);
        out += fmt::format("{:>6}  {:<12}  {:<5}  {:>6}  {}\n", d.irq->source,
                           irq_sense_word(d.irq->sense), line.level ? "high" : "low", line.raised,
                           d.name);
    }
    for (size_t n = 0; n < vm_.cpu_inputs.size(); ++n)
        out += fmt::format("cpu {}: external interrupt input {}\n", n,
                           vm_.cpu_inputs[n]->external.load() ? "asserted" : "clear");
    return out;
}

std::string Monitor::stop() {
    if (!target_) return "stop: this engine has no debug interface\n";
    if (gdb_present_) return "stop: gdb controls this run (--gdb); stop it from gdb\n";
    if (state_ != State::Running) return "already stopped\n";
    state_ = State::Stopping;
    target_->attach(*this);
    target_->request_halt();
    vm_.events.wake();
    return {};
}

std::string Monitor::cont() {
    if (state_ == State::Running) return "the machine is running\n";
    state_ = State::Running; // stopped() sees it and returns
    vm_.events.wake();
    return {};
}

Resume Monitor::stopped(Target& target, const StopEvent& event) {
    (void)event;
    if (state_ == State::Stopping) state_ = State::Stopped;
    while (state_ == State::Stopped && !vm_.control.stop_requested())
        vm_.events.poll(-1);
    state_ = State::Running;
    target.detach();
    return {};
}

} // namespace vmc::debug
