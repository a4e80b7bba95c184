// Virtio: a guest-memory image plus a sequence of register accesses and
// host events drives the virtio-mmio transport and one device (blk,
// console, rng or net). Descriptor loops, out-of-range addresses, huge
// lengths, queue changes mid-flight and resets during I/O must all end in
// rejected requests or DEVICE_NEEDS_RESET, never in a host fault.
//
// Input: kind selector, u16 image length + image (copied to guest address
// 0), then operations until the input ends (see run_operation).
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/device_config.hpp"
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

model::Machine machine_for(Kind kind, const std::string& image, bool readonly) {
    model::Machine m;
    m.name = "fuzz";
    m.memory = {0, kRamSize};
    model::Device d;
    d.name = "v0";
    d.address = kDeviceBase;
    d.size = kDeviceSize;
    d.irq = model::Irq{5, model::IrqSense::LevelHigh};
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

    Rig(Kind k, const std::string& image, bool readonly)
        : kind(k), machine(machine_for(k, image, readonly)), vm(machine, {}) {
        vm.irq.connect(&sink);
        const model::Device& d = machine.devices[0];
        if (kind == Kind::Console) {
            auto backend = std::make_unique<ScriptedConsole>();
            console = backend.get();
            dev = devices::virtio_console::make_device(d, vm, std::move(backend));
        } else if (kind == Kind::Net) {
            int fds[2];
            if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
                return;
            net_peer = fds[1];
            dev = devices::virtio_net::make_device(
                d, vm, devices::virtio_net::make_fd_backend(vm.events, fds[0]),
                {0x52, 0x54, 0, 1, 2, 3});
        } else {
            dev = devices::find_device_kind(d.type)->create(d, vm);
        }
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
        switch (in.u8() % 6) {
        case 0: // 32-bit register write, the common case
            dev->mmio_write(uint64_t{in.u8()} * 4 % kDeviceSize, in.u32(), 4);
            break;
        case 1: { // read of any width at any offset
            unsigned width = fuzz::access_width(in.u8());
            (void)dev->mmio_read(in.u16() % kDeviceSize, width);
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
            dev->mmio_write(in.u16() % kDeviceSize, in.u64(), width);
            break;
        }
        case 5:
            dev->reset();
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

    Rig rig(kind, disk_file.path(), (selector & 4) != 0);
    if (!rig.dev) return 0;
    (void)rig.vm.ram.write(0, image);
    for (size_t n = 0; n < kMaxOperations && !in.empty(); ++n)
        rig.run_operation(in);
    return 0;
}
