// A picture of a composed machine in Graphviz's dot language: the CPUs, the
// interrupt controller, RAM, each bus as a cluster holding its devices (with
// address range and interrupt source), interrupt lines from devices to the
// controller and from it to the CPUs, and the consoles and files that back
// devices.
#pragma once

#include <string>

#include "model/machine.hpp"

namespace vmc::debug {

std::string machine_to_dot(const model::Machine& machine);

} // namespace vmc::debug
