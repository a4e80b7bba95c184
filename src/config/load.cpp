#include "config/load.hpp"

#include <filesystem>

#include "config/build.hpp"
#include "config/resolve.hpp"

namespace vmc::config {

std::optional<model::Machine> load_machine(const LoadOptions& options, Diagnostics& diagnostics) {
    auto resolved = resolve_document(options.file, options.sets, diagnostics);
    if (!resolved) return std::nullopt;
    BuildContext context;
    context.board = resolved->board;
    context.board_version = resolved->board_version;
    context.default_name = std::filesystem::path(options.file).stem().string();
    auto machine = build_machine(resolved->doc, context, diagnostics);
    if (diagnostics.has_errors()) return std::nullopt;
    return machine;
}

} // namespace vmc::config
