#include "debug/stats.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vmc::debug {

namespace {

double ratio(uint64_t part, uint64_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

double mips(const RunStats& s) {
    return s.host_seconds <= 0 ? 0.0 : static_cast<double>(s.instructions()) / s.host_seconds / 1e6;
}

} // namespace

uint64_t RunStats::instructions() const {
    uint64_t total = 0;
    for (const auto& c : cpus)
        total += c.instructions;
    return total;
}

void collect_mmio_stats(const vmm::Vm& vm, RunStats& stats) {
    stats.mmio.clear();
    for (const auto& region : vm.bus.regions())
        if (region.reads || region.writes)
            stats.mmio.push_back({region.name, region.reads, region.writes});
}

std::string stats_text(const RunStats& s) {
    std::string out =
        fmt::format("vmcompose statistics ({} engine, {:.3f} s)\n", s.engine, s.host_seconds);
    out += fmt::format("  instructions      {} ({:.1f} guest MIPS)\n", s.instructions(), mips(s));
    out += fmt::format("  idle              {:.3f} s ({:.1f}% of the run)\n", s.idle_ns / 1e9,
                       100.0 * ratio(s.idle_ns, static_cast<uint64_t>(s.host_seconds * 1e9)));
    out +=
        fmt::format("  decoded pages     {} lookups, {} decoded ({:.2f}% hits)\n", s.code_lookups,
                    s.code_decodes, 100.0 * ratio(s.code_lookups - s.code_decodes, s.code_lookups));
    if (s.jit_blocks)
        out += fmt::format("  translated blocks {} ({} KiB of host code, {} arena flushes)\n",
                           s.jit_blocks, s.jit_code_bytes / 1024, s.jit_flushes);
    for (size_t n = 0; n < s.cpus.size(); ++n) {
        const CpuStats& c = s.cpus[n];
        out += fmt::format("  cpu{}: {} instructions\n", n, c.instructions);
        out += fmt::format("    data TLB fast path   {:.2f}% of {} accesses\n",
                           100.0 * ratio(c.data_fast, c.data_fast + c.data_slow),
                           c.data_fast + c.data_slow);
        out += fmt::format("    fetch TLB fast path  {:.2f}% of {} blocks\n",
                           100.0 * ratio(c.fetch_fast, c.fetch_fast + c.fetch_slow),
                           c.fetch_fast + c.fetch_slow);
        if (s.jit_blocks)
            out += fmt::format("    translated code      {:.2f}% of instructions\n",
                               100.0 * ratio(c.translated, c.instructions));
        for (const auto& [name, count] : c.interrupts)
            out += fmt::format("    interrupt {:<22} {}\n", name, count);
    }
    if (!s.mmio.empty()) out += "  MMIO accesses (reads/writes):\n";
    for (const auto& m : s.mmio)
        out += fmt::format("    {:<24} {} / {}\n", m.device, m.reads, m.writes);
    return out;
}

std::string stats_json(const RunStats& s) {
    nlohmann::ordered_json cpus = nlohmann::ordered_json::array();
    for (const CpuStats& c : s.cpus) {
        nlohmann::ordered_json interrupts = nlohmann::ordered_json::object();
        for (const auto& [name, count] : c.interrupts)
            interrupts[name] = count;
        cpus.push_back({{"instructions", c.instructions},
                        {"data-tlb",
                         {{"fast", c.data_fast},
                          {"slow", c.data_slow},
                          {"hit-rate", ratio(c.data_fast, c.data_fast + c.data_slow)}}},
                        {"fetch-tlb",
                         {{"fast", c.fetch_fast},
                          {"slow", c.fetch_slow},
                          {"hit-rate", ratio(c.fetch_fast, c.fetch_fast + c.fetch_slow)}}},
                        {"translated", c.translated},
                        {"interrupts", interrupts}});
    }
    nlohmann::ordered_json mmio = nlohmann::ordered_json::object();
    for (const auto& m : s.mmio)
        mmio[m.device] = {{"reads", m.reads}, {"writes", m.writes}};
    nlohmann::ordered_json out{
        {"engine", s.engine},
        {"host-seconds", s.host_seconds},
        {"instructions", s.instructions()},
        {"guest-mips", mips(s)},
        {"idle-seconds", s.idle_ns / 1e9},
        {"decoded-pages",
         {{"lookups", s.code_lookups},
          {"decodes", s.code_decodes},
          {"hit-rate", ratio(s.code_lookups - s.code_decodes, s.code_lookups)}}},
        {"translation",
         {{"blocks", s.jit_blocks}, {"code-bytes", s.jit_code_bytes}, {"flushes", s.jit_flushes}}},
        {"cpus", cpus},
        {"mmio", mmio}};
    return out.dump();
}

} // namespace vmc::debug
