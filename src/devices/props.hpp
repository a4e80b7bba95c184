// Reading kind-specific fields from model::Device::props. The schema has
// already checked types, so these only supply defaults.
#pragma once

#include <string>

#include "model/machine.hpp"

namespace vmc::devices {

template <class T> T prop(const model::Device& d, const char* key, T fallback) {
    auto it = d.props.find(key);
    if (it == d.props.end() || it->is_null()) return fallback;
    return it->get<T>();
}

} // namespace vmc::devices
