// The one error type every loader throws. Its message always starts with
// the file it is about, so `up` and `dtb` can print it as it is.
#pragma once

#include <stdexcept>
#include <string>

namespace vmc::vmm::loader {

class LoadError : public std::runtime_error {
public:
    LoadError(const std::string& file, const std::string& what)
        : std::runtime_error(file + ": " + what), file_(file) {}
    const std::string& file() const { return file_; }

private:
    std::string file_;
};

} // namespace vmc::vmm::loader
