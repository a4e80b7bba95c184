#include "config/load.hpp"

#include <filesystem>

#include "config/build.hpp"
#include "config/profiles.hpp"
#include "config/resolve.hpp"
#include "config/schema.hpp"
#include "config/semantic.hpp"

namespace vmc::config {

std::optional<model::Machine> load_machine(const LoadOptions& options, Diagnostics& diagnostics) {
    LoadDetails details;
    return load_machine(options, diagnostics, details);
}

std::optional<model::Machine> load_machine(const LoadOptions& options, Diagnostics& diagnostics,
                                           LoadDetails& details) {
    auto resolved = resolve_document(options.file, options.sets, diagnostics);
    if (!resolved) return std::nullopt;
    details.newest_board_version = resolved->newest_version;
    details.layers = resolved->layers;
    const MachineSchema schema = builtin_schema();
    validate_against_schema(resolved->doc, schema, diagnostics);
    if (diagnostics.has_errors()) return std::nullopt;

    BuildContext context;
    context.board = resolved->board;
    context.board_version = resolved->board_version;
    context.default_name = std::filesystem::path(options.file).stem().string();
    context.default_sizes = schema.default_sizes;
    context.default_fields = schema.default_fields;
    auto machine = build_machine(resolved->doc, context, diagnostics);
    if (!machine) return std::nullopt;
    check_machine(*machine, resolved->doc, diagnostics);
    if (diagnostics.has_errors()) return std::nullopt;
    return machine;
}

} // namespace vmc::config
