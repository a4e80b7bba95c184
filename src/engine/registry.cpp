#include <algorithm>
#include <fmt/format.h>

#include "engine/engine_kind.hpp"

namespace vmc::engine {

namespace emu_engine {
const EngineKind& engine_kind();
}
namespace kvm_engine {
const EngineKind& engine_kind();
}

std::span<const EngineKind* const> engine_kinds() {
    static const EngineKind* const kKinds[] = {&kvm_engine::engine_kind(),
                                               &emu_engine::engine_kind()};
    return kKinds;
}

Choice choose_engine(std::string_view accel) {
    Choice choice;
    std::vector<const EngineKind*> passed_over;
    for (const EngineKind* kind : engine_kinds()) {
        if (accel != "auto" && kind->name != accel) continue;
        HostFit fit = kind->check_host();
        if (fit.missing.empty()) {
            choice.kind = kind;
            choice.note = fit.summary;
            if (!passed_over.empty())
                choice.note += fmt::format(" (no {} on this host)", passed_over.front()->label);
            return choice;
        }
        if (accel != "auto") {
            std::string why;
            for (const std::string& missing : fit.missing)
                why += "\n  - " + missing;
            choice.error = fmt::format("--accel {}: this host cannot run {} guests:{}\nvmcompose: "
                                       "use --accel emu (or auto) for the built-in emulator",
                                       accel, kind->label, why);
            return choice;
        }
        passed_over.push_back(kind);
    }
    choice.error = fmt::format("--accel {}: no engine of that name can run on this host", accel);
    return choice;
}

} // namespace vmc::engine
