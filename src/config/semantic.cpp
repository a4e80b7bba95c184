#include "config/semantic.hpp"

#include <algorithm>
#include <bit>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "config/schema.hpp"
#include "devices/registry.hpp"

namespace vmc::config {

namespace {

struct Range {
    std::string what;    // "device 'serial0'"
    std::string pointer; // where its address was written
    uint64_t start = 0;
    uint64_t size = 0;
    uint64_t end() const { return start + size; }
};

std::string where(const model::SourceMark& mark) {
    if (mark.line == 0) return mark.file;
    return fmt::format("{}:{}", mark.file, mark.line);
}

std::string span(const Range& r) {
    return fmt::format("[{:#x}, {:#x})", r.start, r.end());
}

std::string either(const std::vector<std::string>& types) {
    std::string out;
    for (std::size_t i = 0; i < types.size(); ++i)
        out += (i == 0 ? "" : i + 1 == types.size() ? " or " : ", ") + types[i];
    return out;
}

class Checker final : public devices::CheckContext {
public:
    Checker(const model::Machine& m, const Document& doc, Diagnostics& out)
        : m_(m), doc_(doc), out_(out) {}

    void run() {
        check_cpus();
        check_alignment();
        check_buses_exist();
        check_bus_windows();
        check_overlaps();
        check_memory();
        check_irqs();
        check_references();
        check_files();
    }

private:
    model::SourceMark mark(const std::string& pointer) const { return doc_.mark_of(pointer); }
    bool written(const std::string& pointer) const {
        return doc_.root.contains(nlohmann::json::json_pointer(pointer));
    }
    void error(const std::string& pointer, std::string message, std::string hint = {}) override {
        out_.error(mark(pointer), dotted_path(pointer), std::move(message), std::move(hint));
    }

    static bool plays(const model::Device& d, devices::Role role) {
        const devices::DeviceKind* kind = devices::find_device_kind(d.type);
        return kind && kind->has(role);
    }

    std::vector<std::string> names_with(devices::Role role) const {
        std::vector<std::string> out;
        for (const auto& d : m_.devices)
            if (plays(d, role)) out.push_back(d.name);
        return out;
    }

    std::string suggestion(const std::string& name, const std::vector<std::string>& names) const {
        std::string guess = closest_key(name, names);
        if (!guess.empty()) return "did you mean '" + guess + "'?";
        std::string list;
        for (const auto& n : names)
            list += (list.empty() ? "" : ", ") + n;
        return list.empty() ? "" : "devices of that kind: " + list;
    }

    void check_cpus() {
        if (m_.cpus > m_.max_cpus)
            error("/cpus",
                  fmt::format("{} CPUs requested, but the board supports at most {}", m_.cpus,
                              m_.max_cpus),
                  "max-cpus is set at " + where(mark("/max-cpus")));
    }

    void check_alignment() {
        constexpr uint64_t kPage = 0x1000;
        if (m_.memory.size % kPage != 0)
            error(written("/memory/size") ? "/memory/size" : "/memory",
                  fmt::format("memory size {:#x} is not a multiple of 4K", m_.memory.size));
        if (m_.memory.base % kPage != 0)
            error("/memory/at",
                  fmt::format("memory address {:#x} is not 4K-aligned", m_.memory.base));
        for (const auto& bus : m_.buses)
            if (bus.base % kPage != 0)
                error(bus.path + "/at",
                      fmt::format("bus window {:#x} is not 4K-aligned", bus.base));
        for (const auto& d : m_.devices) {
            if (d.size == 0 || !written(d.path + "/at")) continue;
            // Register blocks sit on their natural alignment (capped at a page).
            uint64_t align = std::min<uint64_t>(std::bit_floor(d.size), kPage);
            if (d.address % align != 0)
                error(d.path + "/at",
                      fmt::format("address {:#x} is not aligned to {:#x} (the device's size {:#x})",
                                  d.address, align, d.size));
        }
        if (m_.spin_table.address != 0 &&
            m_.spin_table.entry_size < model::SpinTable::kMinEntrySize)
            error(written("/spin-table/entry-size") ? "/spin-table/entry-size" : "/spin-table",
                  fmt::format("spin-table entry size {:#x} is smaller than an ePAPR entry",
                              m_.spin_table.entry_size),
                  fmt::format("at least {:#x} bytes (addr, r3, reserved, pir)",
                              model::SpinTable::kMinEntrySize));
        else if (m_.spin_table.entry_size != 0 &&
                 m_.spin_table.address % m_.spin_table.entry_size != 0)
            error("/spin-table/at",
                  fmt::format("spin table {:#x} is not aligned to its entry size {:#x}",
                              m_.spin_table.address, m_.spin_table.entry_size));
    }

    static bool is_pci_bus(const model::Device& d) {
        const devices::DeviceKind* kind = devices::find_device_kind(d.type);
        return kind && kind->has(devices::Role::PciBus);
    }

    void check_buses_exist() {
        std::vector<std::string> buses;
        for (const auto& b : m_.buses)
            buses.push_back(b.name);
        // A PCI host bridge is a bus too: its devices name it.
        for (const auto& d : m_.devices)
            if (is_pci_bus(d)) buses.push_back(d.name);
        for (const auto& d : m_.devices) {
            if (d.bus.empty() || m_.find_bus(d.bus)) continue;
            if (const model::Device* bridge = m_.find_device(d.bus); bridge && is_pci_bus(*bridge))
                continue;
            std::string guess = closest_key(d.bus, buses);
            std::string list;
            for (const auto& n : buses)
                list += (list.empty() ? "" : ", ") + n;
            error(d.path + "/bus", "unknown bus '" + d.bus + "'",
                  guess.empty() ? (list.empty() ? "this machine has no buses" : "buses: " + list)
                                : "did you mean '" + guess + "'?");
        }
    }

    void check_bus_windows() {
        for (const auto& d : m_.devices) {
            const model::Bus* bus = d.bus.empty() ? nullptr : m_.find_bus(d.bus);
            if (!bus || d.size == 0) continue;
            if (d.address < bus->base || d.address + d.size > bus->base + bus->size)
                error(d.path + "/at",
                      fmt::format("registers [{:#x}, {:#x}) lie outside bus '{}' [{:#x}, {:#x})",
                                  d.address, d.address + d.size, bus->name, bus->base,
                                  bus->base + bus->size),
                      fmt::format("on a bus, `at:` is an offset below its size {:#x}", bus->size));
        }
    }

    std::vector<Range> device_ranges() const {
        std::vector<Range> out;
        for (const auto& d : m_.devices)
            if (d.size != 0)
                out.push_back({"device '" + d.name + "'", d.path + "/at", d.address, d.size});
        if (m_.spin_table.address != 0)
            out.push_back(
                {"the spin table", "/spin-table/at", m_.spin_table.address, m_.spin_table_size()});
        return out;
    }

    void check_overlaps() {
        std::vector<Range> ranges = device_ranges();
        std::stable_sort(ranges.begin(), ranges.end(),
                         [](const Range& a, const Range& b) { return a.start < b.start; });
        for (std::size_t i = 0; i < ranges.size(); ++i)
            for (std::size_t j = i + 1; j < ranges.size() && ranges[j].start < ranges[i].end(); ++j)
                report_overlap(ranges[i], ranges[j]);
        std::vector<Range> buses;
        for (const auto& b : m_.buses)
            buses.push_back({"bus '" + b.name + "'", b.path + "/at", b.base, b.size});
        for (std::size_t i = 0; i < buses.size(); ++i)
            for (std::size_t j = i + 1; j < buses.size(); ++j)
                if (buses[i].start < buses[j].end() && buses[j].start < buses[i].end())
                    report_overlap(buses[i], buses[j]);
    }

    // Reported at the range written later, naming where the other one is.
    void report_overlap(const Range& a, const Range& b) {
        model::SourceMark ma = mark(a.pointer), mb = mark(b.pointer);
        const Range& later = std::tie(ma.file, ma.line) > std::tie(mb.file, mb.line) ? a : b;
        const Range& other = &later == &a ? b : a;
        error(later.pointer,
              fmt::format("{} {} overlaps {} {}", later.what, span(later), other.what, span(other)),
              other.what + " is placed at " + where(mark(other.pointer)));
    }

    void check_memory() {
        Range ram{"memory", written("/memory/size") ? "/memory/size" : "/memory", m_.memory.base,
                  m_.memory.size};
        auto overlaps = [&](const Range& r) { return r.start < ram.end() && ram.start < r.end(); };
        for (const auto& b : m_.buses) {
            Range r{"bus '" + b.name + "'", b.path + "/at", b.base, b.size};
            if (overlaps(r))
                error(ram.pointer,
                      fmt::format("memory {} overlaps {} {}", span(ram), r.what, span(r)),
                      r.what + " is placed at " + where(mark(r.pointer)));
        }
        for (const Range& r : device_ranges()) {
            bool on_bus = false;
            for (const auto& d : m_.devices)
                if (d.path + "/at" == r.pointer && !d.bus.empty()) on_bus = true;
            if (!on_bus && overlaps(r))
                error(ram.pointer,
                      fmt::format("memory {} overlaps {} {}", span(ram), r.what, span(r)),
                      r.what + " is placed at " + where(mark(r.pointer)));
        }
    }

    void check_irqs() {
        std::map<uint32_t, const model::Device*> owner;
        const model::Device* pic = m_.find_device(m_.interrupt_controller);
        const devices::DeviceKind* pic_kind = pic ? devices::find_device_kind(pic->type) : nullptr;
        const bool sources_known = pic_kind && pic_kind->interrupts && pic->config;
        const uint32_t sources = sources_known ? pic_kind->interrupts->sources(*pic) : 0;
        for (const auto& d : m_.devices) {
            if (!d.irq) continue;
            std::string p = written(d.path + "/irq") ? d.path + "/irq" : d.path;
            if (m_.interrupt_controller.empty()) {
                error(p, "device '" + d.name +
                             "' has an interrupt but the machine names no "
                             "interrupt-controller");
                continue;
            }
            if (sources_known && d.irq->source >= sources) {
                error(p, fmt::format("interrupt source {} does not exist: the interrupt controller "
                                     "has sources 0 to {}",
                                     d.irq->source, sources - 1));
                continue;
            }
            auto [it, inserted] = owner.emplace(d.irq->source, &d);
            if (inserted) continue;
            const model::Device& first = *it->second;
            std::string first_p = written(first.path + "/irq") ? first.path + "/irq" : first.path;
            error(p,
                  fmt::format("interrupt source {} is already used by device '{}'", d.irq->source,
                              first.name),
                  fmt::format("'{}' takes it at {}; give one of them another source", first.name,
                              where(mark(first_p))));
        }
    }

    // A reference to the device `name`, which must play `role`.
    const model::Device* reference(const std::string& pointer, const std::string& name,
                                   devices::Role role, std::string_view what) override {
        const model::Device* d = m_.find_device(name);
        std::string kinds = either(devices::kind_types_with(role));
        if (!d) {
            error(pointer, "no device named '" + name + "'", suggestion(name, names_with(role)));
            return nullptr;
        }
        if (!plays(*d, role)) {
            error(
                pointer,
                fmt::format("'{}' is a {} device, but {} must be a {}", name, d->type, what, kinds),
                suggestion(name, names_with(role)));
            return nullptr;
        }
        return d;
    }

    void check_references() {
        if (!m_.interrupt_controller.empty())
            reference("/interrupt-controller", m_.interrupt_controller,
                      devices::Role::InterruptController, "the interrupt-controller");
        if (!m_.stdout_device.empty()) {
            const model::Device* d = m_.find_device(m_.stdout_device);
            auto serial = devices::Role::SerialConsole;
            if (!d)
                error("/stdout", "no device named '" + m_.stdout_device + "'",
                      suggestion(m_.stdout_device, names_with(serial)));
            else if (!plays(*d, serial))
                error("/stdout",
                      fmt::format("'{}' is a {} device; stdout must be a serial port ({})", d->name,
                                  d->type, either(devices::kind_types_with(serial))),
                      suggestion(m_.stdout_device, names_with(serial)));
        }
        // What each device names elsewhere, checked by its kind.
        for (const auto& d : m_.devices) {
            const devices::DeviceKind* kind = devices::find_device_kind(d.type);
            if (kind && kind->check && d.config) kind->check(m_, d, *this);
        }
    }

    void file(const std::string& pointer, const std::string& path, std::string_view what) override {
        std::error_code ec;
        if (path.empty()) return;
        if (!std::filesystem::is_regular_file(path, ec))
            error(pointer, std::string(what) + " not found: " + path,
                  "point it at an existing file, e.g. --set " + dotted_path(pointer) + "=PATH");
    }

    void check_files() {
        file("/kernel", m_.boot.kernel, "kernel");
        file("/initrd", m_.boot.initrd, "initrd");
        file("/dtb", m_.boot.dtb, "device tree");
    }

    const model::Machine& m_;
    const Document& doc_;
    Diagnostics& out_;
};

} // namespace

void check_machine(const model::Machine& machine, const Document& doc, Diagnostics& diagnostics) {
    Checker(machine, doc, diagnostics).run();
}

} // namespace vmc::config
