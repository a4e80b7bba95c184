// Virtio: a guest-memory image plus a sequence of register accesses and
// host events drives one device (blk, console, rng or net) behind the
// virtio-mmio transport, or behind virtio-pci on a PCI host bridge (register
// accesses then go through the bridge's memory window to the BARs, and
// configuration cycles through its CFG_ADDR/CFG_DATA). Descriptor loops,
// out-of-range addresses, huge lengths, queue changes mid-flight and resets
// during I/O must all end in rejected requests or DEVICE_NEEDS_RESET, never
// in a host fault.
//
// Input: kind selector (bits 0-1 the device, bit 2 a read-only disk, bit 3
// virtio-pci), u16 image length + image (copied to guest address 0), then
// operations until the input ends (see run_operation).
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/device_config.hpp"
#include "devices/pci/fsl_pci_bridge.hpp"
#include "devices/registry.hpp"
#include "devices/virtio_console/console_device.hpp"
#include "devices/virtio_net/net_device.hpp"
#include "fuzz_input.hpp"
#include "temp_file.hpp"
#include "vmm/vm.hpp"

namespace {

using namespace vmc;

constexpr uint64_t kRamSize = 64 * 1024;
constexpr uint64_t kDeviceBase = 0xf'0000'0000ull;
constexpr uint64_t kDeviceSize = 0x200;
// virtio-pci: BAR 4 (registers) at bus 0xe0000000, BAR 1 (MSI-X) right after,
// both at the start of the bridge's memory window.
constexpr uint64_t kPciWindow = 0xc'0000'0000ull, kPciSpan = 0x5000;
constexpr size_t kMaxOperations = 4096; // bounds one input's run time

enum class Kind { Blk, Console, Rng, Net };

// A console whose input the fuzzer types.
struct ScriptedConsole : vmm::Console {
    void write(std::span<const uint8_t>) override {}
    void type(std::span<const uint8_t> bytes) { deliver(bytes); }
};

struct Sink : vmm::IrqSink {
    void set_irq(uint32_t, bool) override {}
};

model::Machine machine_for(Kind kind, const std::string& image, bool readonly, bool pci) {
    model::Machine m;
    m.name = "fuzz";
    m.memory = {0, kRamSize};
    if (pci) {
        model::Device bridge;
        bridge.name = "pci";
        bridge.type = "fsl-pci";
        bridge.address = 0xf'e000'8000ull;
        bridge.size = 0x1000;
        bridge.props = {
            {"memory", {{"cpu", kPciWindow}, {"bus", 0xe0000000u}, {"size", 0x20000000u}}},
            {"io", {{"cpu", 0xf'e100'0000ull}, {"bus", 0}, {"size", 0x10000}}},
            {"csr-window", {{"at", 0xf'e000'0000ull}, {"size", 0x100000}}}};
        m.devices.push_back(config::configured(std::move(bridge)));
    }
    model::Device d;
    d.name = "v0";
    d.address = kDeviceBase;
    d.size = kDeviceSize;
    d.irq = model::Irq{5, model::IrqSense::LevelHigh};
    if (pci) {
        d.bus = "pci";
        d.slot = 1;
        d.address = d.size = 0;
        d.irq.reset();
    }
    d.props = nlohmann::json::object();
    switch (kind) {
    case Kind::Blk:
        d.type = "virtio-blk";
        d.props["image"] = image;
        d.props["readonly"] = readonly;
        break;
    case Kind::Console:
        d.type = "virtio-console";
        break;
    case Kind::Rng:
        d.type = "virtio-rng";
        break;
    case Kind::Net:
        d.type = "virtio-net";
        d.props["tap"] = "unused"; // the rig gives the device a socket instead
        break;
    }
    m.devices.push_back(config::configured(std::move(d)));
    return m;
}

struct Rig {
    Kind kind;
    model::Machine machine;
    vmm::Vm vm;
    Sink sink;
    ScriptedConsole* console = nullptr;
    int net_peer = -1;
    std::unique_ptr<vmm::Device> dev;
    devices::pci::FslPciBridge* bridge = nullptr;
    vmm::MmioHandler* target = nullptr; // what register accesses reach
    uint64_t span = kDeviceSize;

    Rig(Kind k, const std::string& image, bool readonly, bool pci)
        : kind(k), machine(machine_for(k, image, readonly, pci)), vm(machine, {}) {
        vm.irq.connect(&sink);
        if (pci) {
            const model::Device& b = machine.devices[0];
            vm.devices.push_back(devices::find_device_kind(b.type)->create(b, vm));
            bridge = dynamic_cast<devices::pci::FslPciBridge*>(vm.devices.back().get());
        }
        const model::Device& d = machine.devices.back();
        if (kind == Kind::Console) {
            auto backend = std::make_unique<ScriptedConsole>();
            console = backend.get();
            dev = devices::virtio_console::make_device(d, vm, std::move(backend));
        } else if (kind == Kind::Net) {
            int fds[2];
            if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
                return;
            net_peer = fds[1];
            dev = devices::virtio_net::make_device(d, vm, fds[0], {0x52, 0x54, 0, 1, 2, 3});
        } else {
            dev = devices::find_device_kind(d.type)->create(d, vm);
        }
        target = dev.get();
        if (bridge && dev) {
            // What Linux leaves behind: BARs assigned, decoding and bus mastering on.
            config_write(0x20, 0xe0000000); // BAR 4, low half
            config_write(0x24, 0);
            config_write(0x14, 0xe0004000); // BAR 1
            config_write(0x04, 0x6);
            target = &bridge->memory_window();
            span = kPciSpan;
        }
    }
    // A configuration cycle to slot 1 as Linux's indirect_pci makes it.
    void config_write(uint32_t reg, uint32_t value) {
        bridge->mmio_write(0, 0x80000800u | (reg & 0xfc), 4);
        bridge->mmio_write(4, __builtin_bswap32(value), 4);
    }
    ~Rig() {
        dev.reset();
        if (net_peer >= 0) close(net_peer);
    }

    // What the host side can do between guest accesses: console input, a
    // frame arriving on the tap, then one turn of the event loop and timers.
    void host_event(fuzz::Input& in) {
        auto bytes = in.bytes(in.u8());
        if (console) console->type(bytes);
        if (net_peer >= 0) {
            // A vnet header (12 bytes) and a frame, possibly shorter than a header.
            [[maybe_unused]] auto sent = send(net_peer, bytes.data(), bytes.size(), MSG_DONTWAIT);
        }
        vm.events.poll(0);
        vm.timers.run_due(vm.clock.now_ns());
    }

    void run_operation(fuzz::Input& in) {
        switch (in.u8() % 7) {
        case 0: // 32-bit register write, the common case
            target->mmio_write(uint64_t{in.u8()} * 4 % span, in.u32(), 4);
            break;
        case 1: { // read of any width at any offset
            unsigned width = fuzz::access_width(in.u8());
            (void)target->mmio_read(in.u16() % span, width);
            break;
        }
        case 2: { // guest RAM write: rings, descriptors, buffers
            uint64_t at = in.u16();
            auto bytes = in.bytes(in.u8());
            (void)vm.ram.write(at, bytes);
            break;
        }
        case 3:
            host_event(in);
            break;
        case 4: { // write of any width at any offset
            unsigned width = fuzz::access_width(in.u8());
            target->mmio_write(in.u16() % span, in.u64(), width);
            break;
        }
        case 5:
            dev->reset();
            break;
        case 6: // a configuration cycle (PCI) or one more register write
            if (bridge) {
                bridge->mmio_write(0, in.u32(), 4); // CFG_ADDR: any bus, slot, register
                unsigned width = fuzz::access_width(in.u8()) % 4 + 1;
                bool read = in.u8() & 1;
                uint64_t lane = in.u8() % 4;
                if (read)
                    (void)bridge->mmio_read(4 + lane, width);
                else
                    bridge->mmio_write(4 + lane, in.u32(), width);
            } else {
                target->mmio_write(uint64_t{in.u8()} * 4 % span, in.u32(), 4);
            }
            break;
        }
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    fuzz::Input in(data, size);
    uint8_t selector = in.u8();
    Kind kind = static_cast<Kind>(selector & 3);
    auto image = in.bytes(in.u16());

    // A small disk of recognisable sectors, fresh for every input.
    std::vector<uint8_t> disk(16 * 512);
    for (size_t i = 0; i < disk.size(); ++i)
        disk[i] = static_cast<uint8_t>(i * 7);
    fuzz::TempFile disk_file(disk, ".img");

    Rig rig(kind, disk_file.path(), (selector & 4) != 0, (selector & 8) != 0);
    if (!rig.dev) return 0;
    (void)rig.vm.ram.write(0, image);
    for (size_t n = 0; n < kMaxOperations && !in.empty(); ++n)
        rig.run_operation(in);
    return 0;
}
