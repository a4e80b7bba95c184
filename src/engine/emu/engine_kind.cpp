// The built-in emulator as `--accel emu`: it runs on any host.
#include "engine/engine_kind.hpp"
#include "engine/emu/emu_engine.hpp"

namespace vmc::engine::emu_engine {

namespace {

HostFit check_host() {
    return {"built-in emulator", {}};
}

Started start(vmm::Vm& vm, const Options& options) {
    emu::EmuOptions emu_options;
    emu_options.trace_exec_path = options.trace_exec_path;
    emu_options.jit = options.jit;
    Started started;
    started.engine = emu::create_engine(vm, emu_options);
    return started;
}

constexpr EngineKind kKind{
    .name = "emu",
    .label = "the built-in emulator",
    .check_host = check_host,
    .start = start,
};

} // namespace

const EngineKind& engine_kind() {
    return kKind;
}

} // namespace vmc::engine::emu_engine
