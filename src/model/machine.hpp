// The typed machine description: what the YAML file says, resolved and
// checked. Plain data, no I/O. Both the device-tree compiler and the VMM
// graph builder read only this.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace vmc::model {

// Where a value came from: a file position (1-based line and column), or a
// command-line flag (file holds "--set", line/column 0).
struct SourceMark {
    std::string file;
    int line = 0;
    int column = 0;
};

// MPIC interrupt sense, as encoded in the second cell of an MPIC interrupt
// specifier (Linux's mpic.c and the Freescale MPIC binding).
enum class IrqSense : uint32_t { EdgeRising = 0, LevelLow = 1, LevelHigh = 2, EdgeFalling = 3 };

struct Irq {
    uint32_t source = 0;
    IrqSense sense = IrqSense::LevelHigh;
};

struct CpuModel {
    std::string name = "e500mc";              // the core the engine emulates
    std::string node_name = "PowerPC,e500mc"; // device-tree node name prefix of each cpu
    uint32_t pvr = 0x80230020;
    uint32_t svr = 0;
    uint64_t clock_frequency = 400'000'000;
    uint64_t timebase_frequency = 400'000'000;
    uint64_t bus_frequency = 0;
    uint32_t i_cache_size = 0x8000;
    uint32_t d_cache_size = 0x8000;
    uint32_t i_cache_line_size = 64;
    uint32_t d_cache_line_size = 64;
    uint32_t tlb0_entries = 512;
    uint32_t tlb0_ways = 4;
    uint32_t tlb1_entries = 64;
};

struct Memory {
    uint64_t base = 0;
    uint64_t size = 0;
};

// Secondary CPUs wait on an ePAPR spin table; entry n is at address + n*entry_size.
struct SpinTable {
    // An entry holds addr (8 bytes), r3 (8), a reserved word and pir (4 each).
    static constexpr uint32_t kMinEntrySize = 0x18;
    uint64_t address = 0;
    uint32_t entry_size = 0x20;
    uint64_t entry_address(uint32_t cpu) const { return address + uint64_t{cpu} * entry_size; }
};

// A bus node in the device tree (the CCSR/SoC window, the platform bus).
// Devices on a bus have absolute addresses in the model; the FDT compiler
// turns them into bus-relative `reg` values through `ranges`.
struct Bus {
    std::string name;      // key in the machine file ("soc")
    std::string node_name; // device-tree node name without unit address ("soc")
    uint64_t base = 0;     // absolute guest physical address
    uint64_t size = 0;
    std::vector<std::string> compatible; // e.g. {"fsl,mpc8544-immr", "simple-bus"}
    std::string device_type;             // e.g. "soc" (optional)
    uint32_t bus_frequency = 0;
    bool interrupt_parent = true; // the node names the interrupt controller (children inherit it)
    std::string path;             // JSON pointer of the bus in the resolved document
};

// A device kind's typed configuration: each kind derives its own (its
// folder's Config) and parses it once, in the config stage, from `props`.
struct DeviceConfig {
    virtual ~DeviceConfig() = default;
};

struct Device {
    std::string name;     // key in `devices:` ("serial0")
    std::string type;     // device kind ("ns16550")
    std::string bus;      // name of the Bus it sits on; empty = root
    uint64_t address = 0; // absolute guest physical address (0 with size 0: no registers)
    uint64_t size = 0;
    std::optional<Irq> irq; // MPIC source it drives
    // On a PCI host bridge (`bus:` names one): the device number on its bus.
    std::optional<uint32_t> slot;
    nlohmann::json props; // kind-specific fields as in effect: written, else the schema's default
    std::shared_ptr<const DeviceConfig> config; // props parsed by the kind (devices::config_of)
    std::string path; // JSON pointer in the resolved document ("/devices/serial0")
};

enum class ResetPolicy { Restart, Exit };

struct Boot {
    std::string kernel;                 // absolute path; empty = none
    std::string kernel_format = "auto"; // auto | elf | uimage | raw
    uint64_t kernel_address = 0;        // load address for raw images
    std::string initrd;                 // absolute path; empty = none
    std::string dtb; // the user's own device tree (absolute path); empty = vmcompose writes it
    std::string bootargs;
};

struct Machine {
    std::string name;
    std::string board;                   // "ppce500"
    uint32_t board_version = 0;          // 1
    std::string model;                   // root `model` property
    std::vector<std::string> compatible; // root `compatible`
    uint32_t cpus = 1;
    uint32_t max_cpus = 1;
    CpuModel cpu;
    Memory memory;
    SpinTable spin_table;
    std::vector<Bus> buses;
    std::vector<Device> devices; // in file order, deterministic
    Boot boot;
    ResetPolicy on_reset = ResetPolicy::Exit;
    std::string interrupt_controller; // name of the device every `irq` refers to
    std::string stdout_device;        // name of the device `/chosen/stdout-path` names
    bool linux_stdout_path = true;    // /chosen also has the older `linux,stdout-path`

    // JSON pointer (e.g. "/memory", "/devices/serial0/at") -> where its value was set.
    std::map<std::string, SourceMark> provenance;

    // The spin table has one entry per CPU the board can have.
    uint32_t spin_table_entries() const;
    uint64_t spin_table_size() const {
        return uint64_t{spin_table.entry_size} * spin_table_entries();
    }

    const Device* find_device(std::string_view device_name) const;
    const Bus* find_bus(std::string_view bus_name) const;
};

} // namespace vmc::model
