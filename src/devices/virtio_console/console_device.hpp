// virtio-console over a console backend the caller already opened (the
// kind's create() opens the one the model names; tests pass their own).
#pragma once

#include <memory>

#include "model/machine.hpp"
#include "vmm/console.hpp"
#include "vmm/device.hpp"

namespace vmc::vmm {
class Vm;
}

namespace vmc::devices::virtio_console {
std::unique_ptr<vmm::Device> make_device(const model::Device& device, vmm::Vm& vm,
                                         std::unique_ptr<vmm::Console> backend);
} // namespace vmc::devices::virtio_console
