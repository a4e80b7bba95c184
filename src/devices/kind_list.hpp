// The kinds the build found: one per src/devices/<folder>/kind.cpp, listed
// by a file CMake generates (src/CMakeLists.txt), in folder order.
#pragma once

#include <span>

#include "devices/registry.hpp"

namespace vmc::devices {
std::span<const DeviceKind* const> registered_kinds();
} // namespace vmc::devices
