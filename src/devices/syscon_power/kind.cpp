// syscon-power: a register block (a "syscon") that powers the machine off
// or reboots it when the guest writes a given value to a given register, as
// Linux's syscon-poweroff and syscon-reboot drivers do. Boards without a
// GPIO controller can power off through it.
#include <fmt/format.h>

#include "devices/syscon_power/kind.hpp"
#include "devices/syscon_power/syscon_power_config.hpp"

namespace vmc::devices::syscon_power {

namespace {

// Each action's register lies inside the block and is 4-byte aligned.
void check(const model::Machine&, const model::Device& device, CheckContext& ctx) {
    const Config& config = config_of<Config>(device);
    if (!config.poweroff && !config.reboot)
        ctx.error(device.path, "a syscon-power device needs `poweroff:`, `reboot:` or both");
    for (const auto& [key, action] :
         {std::pair{"poweroff", config.poweroff}, std::pair{"reboot", config.reboot}}) {
        if (!action) continue;
        if (action->offset % 4 != 0 || uint64_t{action->offset} + 4 > device.size)
            ctx.error(device.path + "/" + key + "/offset",
                      fmt::format("offset {:#x} is not a 4-byte register inside the block",
                                  action->offset),
                      fmt::format("a multiple of 4 below the size {:#x}", device.size));
    }
}

constexpr DeviceKind kKind{
    .type = "syscon-power",
    .description = "Register block with syscon-poweroff and syscon-reboot actions",
    .schema_fragment = "devices/syscon-power.schema.yaml",
    .parse = [](const model::Device& d) { return share(parse(d)); },
    .check = check,
    .emit_fdt = emit_fdt,
    .create = create,
};

} // namespace

const DeviceKind& device_kind() {
    return kKind;
}

} // namespace vmc::devices::syscon_power
