// Classifies QEMU's recorded FP results (tests/emu/fpu_vectors) by the
// reference: where QEMU 7.2 and the ISA disagree, names the known QEMU
// deviation that explains it; and checks vmcompose on every vector.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace vmc::fp_oracle {

struct VectorReport {
    int vectors = 0;
    int qemu_agrees = 0;
    std::map<std::string, int> qemu_deviations; // deviation -> count
    std::vector<std::string> qemu_unexplained;  // QEMU differs for no known reason
    std::vector<std::string> vmcompose_wrong;   // vmcompose differs from the reference
};

// Reads the vector file at `path` (an empty report with a message in
// vmcompose_wrong when it cannot be read).
VectorReport classify_qemu_vectors(const std::string& path);

} // namespace vmc::fp_oracle
