#include "config/build.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "config/allocator.hpp"
#include "config/units.hpp"

namespace vmc::config {

namespace {

using nlohmann::json;

// Typed reads of the document. The schema has checked shapes already; these
// still refuse a wrong type with a diagnostic instead of throwing, so a
// schema gap can never crash the program.
class Reader {
public:
    Reader(const Document& doc, Diagnostics& diagnostics) : doc_(doc), diagnostics_(diagnostics) {}

    const json* find(const std::string& pointer) const {
        json::json_pointer p(pointer);
        return doc_.root.contains(p) ? &doc_.root.at(p) : nullptr;
    }

    template <class T> void number(const std::string& pointer, T& out) {
        if (const json* v = find(pointer)) {
            auto n = unsigned_value(*v);
            if (!n || *n > std::numeric_limits<T>::max())
                fail(pointer,
                     "expected a number up to " + std::to_string(std::numeric_limits<T>::max()));
            else
                out = static_cast<T>(*n);
        }
    }

    void size(const std::string& pointer, uint64_t& out) {
        if (const json* v = find(pointer)) {
            if (auto n = size_value(*v))
                out = *n;
            else
                fail(pointer, "expected a size such as 256M, 1G, 0x10000000 or 4096");
        }
    }

    void text(const std::string& pointer, std::string& out) {
        if (const json* v = find(pointer)) {
            if (v->is_string())
                out = v->get<std::string>();
            else
                fail(pointer, "expected a string");
        }
    }

    void strings(const std::string& pointer, std::vector<std::string>& out) {
        if (const json* v = find(pointer)) {
            if (v->is_string()) {
                out = {v->get<std::string>()};
                return;
            }
            bool ok = v->is_array();
            if (ok)
                for (const json& item : *v)
                    ok = ok && item.is_string();
            if (!ok) {
                fail(pointer, "expected a list of strings");
                return;
            }
            out = v->get<std::vector<std::string>>();
        }
    }

    void boolean(const std::string& pointer, bool& out) {
        if (const json* v = find(pointer); v && v->is_boolean()) out = v->get<bool>();
    }
    void fail(const std::string& pointer, std::string message, std::string hint = {}) {
        // A problem with a whole map (a device) points at its name.
        const json* value = find(pointer);
        model::SourceMark mark =
            value && value->is_object() ? doc_.key_mark_of(pointer) : doc_.mark_of(pointer);
        diagnostics_.error(std::move(mark), dotted_path(pointer), std::move(message),
                           std::move(hint));
    }

    const Document& doc() const { return doc_; }

private:
    const Document& doc_;
    Diagnostics& diagnostics_;
};

constexpr const char* kCommonDeviceKeys[] = {"type", "bus", "at", "size", "irq", "slot"};

// Device numbers a PCI bus hands out (0 is the host bridge itself).
constexpr uint32_t kFirstPciSlot = 1, kLastPciSlot = 31;

std::optional<model::IrqSense> parse_sense(const std::string& text) {
    if (text == "level-high") return model::IrqSense::LevelHigh;
    if (text == "level-low") return model::IrqSense::LevelLow;
    if (text == "edge-rising") return model::IrqSense::EdgeRising;
    if (text == "edge-falling") return model::IrqSense::EdgeFalling;
    return std::nullopt;
}

std::optional<model::Irq> read_irq(Reader& in, const std::string& pointer) {
    const json* v = in.find(pointer);
    if (!v) return std::nullopt;
    model::Irq irq;
    if (v->is_object()) {
        uint32_t source = 0;
        if (!in.find(pointer + "/source")) {
            in.fail(pointer, "an irq map needs `source:`");
            return std::nullopt;
        }
        in.number(pointer + "/source", source);
        irq.source = source;
        std::string sense = "level-high";
        in.text(pointer + "/sense", sense);
        if (auto parsed = parse_sense(sense))
            irq.sense = *parsed;
        else
            in.fail(pointer + "/sense",
                    "expected level-high, level-low, edge-rising or edge-falling");
        return irq;
    }
    uint32_t source = 0;
    auto n = unsigned_value(*v);
    if (!n || *n > UINT32_MAX) {
        in.fail(pointer, "expected an interrupt source number or {source: N, sense: ...}");
        return std::nullopt;
    }
    source = static_cast<uint32_t>(*n);
    irq.source = source;
    return irq;
}

void read_cpu(Reader& in, model::CpuModel& cpu) {
    in.text("/cpu/model", cpu.name);
    in.text("/cpu/node-name", cpu.node_name);
    in.number("/cpu/pvr", cpu.pvr);
    in.number("/cpu/svr", cpu.svr);
    in.number("/cpu/clock-frequency", cpu.clock_frequency);
    in.number("/cpu/timebase-frequency", cpu.timebase_frequency);
    in.number("/cpu/bus-frequency", cpu.bus_frequency);
    in.number("/cpu/i-cache-size", cpu.i_cache_size);
    in.number("/cpu/d-cache-size", cpu.d_cache_size);
    in.number("/cpu/i-cache-line-size", cpu.i_cache_line_size);
    in.number("/cpu/d-cache-line-size", cpu.d_cache_line_size);
    in.number("/cpu/tlb0/entries", cpu.tlb0_entries);
    in.number("/cpu/tlb0/ways", cpu.tlb0_ways);
    in.number("/cpu/tlb1/entries", cpu.tlb1_entries);
}

// Per-bus placement state for auto-placed devices.
struct BusPlacement {
    std::optional<SlotAllocator> slots;
    std::optional<IrqAllocator> irqs;
};

void read_buses(Reader& in, model::Machine& m, std::map<std::string, BusPlacement>& placement) {
    for (const std::string& name : in.doc().keys_in_order("/buses")) {
        std::string p = pointer_child("/buses", name);
        model::Bus bus;
        bus.name = name;
        bus.node_name = name;
        bus.path = p;
        in.text(p + "/node-name", bus.node_name);
        in.number(p + "/at", bus.base);
        in.size(p + "/size", bus.size);
        in.strings(p + "/compatible", bus.compatible);
        in.text(p + "/device-type", bus.device_type);
        in.number(p + "/bus-frequency", bus.bus_frequency);
        in.boolean(p + "/interrupt-parent", bus.interrupt_parent);
        BusPlacement& place = placement[name];
        if (in.find(p + "/slot-size")) {
            uint64_t slot = 0;
            in.size(p + "/slot-size", slot);
            if (slot != 0) place.slots.emplace(bus.base, bus.size, slot);
        }
        if (const json* pool = in.find(p + "/irq-pool")) {
            uint64_t first = 1, last = 0;
            if (pool->is_array() && pool->size() == 2) {
                first = unsigned_value((*pool)[0]).value_or(1);
                last = unsigned_value((*pool)[1]).value_or(0);
            }
            if (first <= last && last <= UINT32_MAX)
                place.irqs.emplace(static_cast<uint32_t>(first), static_cast<uint32_t>(last));
            else
                in.fail(p + "/irq-pool", "expected [FIRST, LAST] interrupt sources, FIRST <= LAST");
        }
        m.buses.push_back(std::move(bus));
    }
}

void read_devices(Reader& in, model::Machine& m, const BuildContext& context,
                  std::map<std::string, BusPlacement>& placement) {
    std::vector<std::string> names = in.doc().keys_in_order("/devices");
    // Explicit placements first, so the allocator never hands them out.
    for (const std::string& name : names) {
        std::string p = pointer_child("/devices", name);
        const json* entry = in.find(p);
        if (!entry || !entry->is_object()) {
            in.fail(p, "a device is a map with at least `type:`");
            continue;
        }
        model::Device d;
        d.name = name;
        d.path = p;
        in.text(p + "/type", d.type);
        in.text(p + "/bus", d.bus);
        in.number(p + "/at", d.address);
        // `bus:` naming a device rather than a bus: a function on that PCI
        // host bridge, found by probing, so it has a slot and no registers.
        bool on_pci = !d.bus.empty() && !m.find_bus(d.bus) &&
                      in.find(pointer_child("/devices", d.bus)) != nullptr;
        if (on_pci) {
            if (entry->contains("at") || entry->contains("size"))
                in.fail(p + (entry->contains("at") ? "/at" : "/size"),
                        "a device on PCI bus '" + d.bus + "' has no `at:` or `size:`",
                        "the guest assigns its BARs; `slot:` chooses its device number");
            uint32_t slot = 0;
            if (entry->contains("slot")) {
                in.number(p + "/slot", slot);
                d.slot = slot;
            } else {
                d.slot = 0; // assigned below
            }
        } else if (entry->contains("slot")) {
            in.fail(p + "/slot", "`slot:` is for devices on a PCI bus",
                    "put the device on a PCI host bridge with `bus:`, or remove `slot:`");
        }
        if (auto it = context.default_sizes.find(d.type);
            !on_pci && it != context.default_sizes.end() && !entry->contains("size")) {
            d.size = it->second;
            m.provenance[p + "/size"] = {"default size of " + d.type, 0, 0};
        }
        in.size(p + "/size", d.size);
        d.irq = read_irq(in, p + "/irq");
        d.props = json::object();
        for (const auto& [key, value] : entry->items()) {
            if (std::find(std::begin(kCommonDeviceKeys), std::end(kCommonDeviceKeys), key) ==
                std::end(kCommonDeviceKeys))
                d.props[key] = value;
        }
        if (std::string problem = configure_device(d, context.default_fields, &m.provenance);
            !problem.empty())
            in.fail(p, "device '" + name + "': " + problem);
        if (!d.bus.empty()) {
            const model::Bus* bus = m.find_bus(d.bus);
            if (bus && entry->contains("at")) d.address += bus->base;
            auto place = placement.find(d.bus);
            if (place != placement.end() && place->second.slots && entry->contains("at"))
                place->second.slots->reserve(d.address, d.size);
        }
        m.devices.push_back(std::move(d));
    }
    for (model::Device& d : m.devices) {
        if (d.irq)
            for (auto& [bus_name, place] : placement)
                if (place.irqs) place.irqs->reserve(d.irq->source);
    }
    // PCI functions without `slot:` take the lowest free device number of their bus.
    std::map<std::string, std::set<uint32_t>> taken;
    for (const model::Device& d : m.devices)
        if (d.slot && *d.slot != 0) {
            if (*d.slot < kFirstPciSlot || *d.slot > kLastPciSlot)
                in.fail(d.path + "/slot", "PCI slot " + std::to_string(*d.slot) + " out of range",
                        "slots are " + std::to_string(kFirstPciSlot) + " to " +
                            std::to_string(kLastPciSlot));
            else if (!taken[d.bus].insert(*d.slot).second)
                in.fail(d.path + "/slot",
                        "PCI slot " + std::to_string(*d.slot) + " of bus '" + d.bus +
                            "' is already taken",
                        "give each device on a PCI bus its own slot, or leave `slot:` out");
        }
    for (model::Device& d : m.devices) {
        if (!d.slot || *d.slot != 0) continue;
        uint32_t slot = kFirstPciSlot;
        while (slot <= kLastPciSlot && taken[d.bus].count(slot))
            ++slot;
        if (slot > kLastPciSlot) {
            in.fail(d.path, "no free slot left on PCI bus '" + d.bus + "'");
            continue;
        }
        taken[d.bus].insert(slot);
        d.slot = slot;
        m.provenance[d.path + "/slot"] = {"next free slot of PCI bus '" + d.bus + "'", 0, 0};
    }
    // Then devices left to the board, in file order.
    for (model::Device& d : m.devices) {
        if (d.slot) continue;
        const json& entry = *in.find(d.path);
        auto place = placement.find(d.bus);
        bool can_place = place != placement.end() && place->second.slots;
        if (!entry.contains("at") && d.size != 0 && !can_place) {
            in.fail(d.path, "device '" + d.name + "' needs `at:`",
                    d.bus.empty() ? "give its address, or put it on a bus with `slot-size:`"
                                  : "bus '" + d.bus + "' has no `slot-size:` to place it");
            continue;
        }
        if (place == placement.end()) continue;
        if (!entry.contains("at") && place->second.slots) {
            if (auto address = place->second.slots->allocate(d.size)) {
                d.address = *address;
                m.provenance[d.path + "/at"] = {"next free slot of bus '" + d.bus + "'", 0, 0};
            } else {
                in.fail(d.path, "no free slot left on bus '" + d.bus + "'");
            }
        }
        if (!entry.contains("irq") && place->second.irqs) {
            if (auto source = place->second.irqs->allocate()) {
                d.irq = model::Irq{*source, model::IrqSense::LevelHigh};
                m.provenance[d.path + "/irq"] = {"irq-pool of bus '" + d.bus + "'", 0, 0};
            } else
                in.fail(d.path,
                        "no free interrupt source left in the irq-pool of bus '" + d.bus + "'");
        }
    }
}

void read_boot(Reader& in, model::Boot& boot) {
    in.text("/kernel", boot.kernel);
    in.text("/kernel-format", boot.kernel_format);
    in.number("/kernel-address", boot.kernel_address);
    in.text("/initrd", boot.initrd);
    in.text("/dtb", boot.dtb);
    in.text("/bootargs", boot.bootargs);
}

void record_provenance(const Document& doc, const json& value, const std::string& pointer,
                       std::map<std::string, model::SourceMark>& out) {
    if (value.is_object()) {
        for (const auto& [key, child] : value.items())
            record_provenance(doc, child, pointer_child(pointer, key), out);
        return;
    }
    out[pointer] = doc.mark_of(pointer);
}

} // namespace

std::optional<model::Machine> build_machine(const Document& doc, const BuildContext& context,
                                            Diagnostics& diagnostics) {
    std::size_t errors_before = diagnostics.size();
    Reader in(doc, diagnostics);
    model::Machine m;
    m.board = context.board;
    m.board_version = context.board_version;
    m.name = context.default_name;
    in.text("/name", m.name);
    in.text("/model", m.model);
    in.strings("/compatible", m.compatible);
    in.number("/cpus", m.cpus);
    m.max_cpus = m.cpus;
    in.number("/max-cpus", m.max_cpus);
    read_cpu(in, m.cpu);
    if (const json* memory = in.find("/memory"); memory && memory->is_object()) {
        in.number("/memory/at", m.memory.base);
        in.size("/memory/size", m.memory.size);
    } else {
        in.size("/memory", m.memory.size);
    }
    in.number("/spin-table/at", m.spin_table.address);
    uint64_t entry_size = m.spin_table.entry_size;
    in.size("/spin-table/entry-size", entry_size);
    if (entry_size > UINT32_MAX)
        in.fail("/spin-table/entry-size", "expected an entry size below 4G");
    else
        m.spin_table.entry_size = static_cast<uint32_t>(entry_size);
    in.text("/interrupt-controller", m.interrupt_controller);
    in.text("/stdout", m.stdout_device);
    in.boolean("/linux-stdout-path", m.linux_stdout_path);
    std::string reset = "exit";
    in.text("/on-reset", reset);
    m.on_reset = reset == "restart" ? model::ResetPolicy::Restart : model::ResetPolicy::Exit;

    std::map<std::string, BusPlacement> placement;
    read_buses(in, m, placement);
    read_devices(in, m, context, placement);
    read_boot(in, m.boot);
    // Leaves the file wrote; placements the board chose were credited to
    // their device entry above.
    record_provenance(doc, doc.root, "", m.provenance);
    if (diagnostics.size() != errors_before) return std::nullopt;
    return m;
}

} // namespace vmc::config
