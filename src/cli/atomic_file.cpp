#include "cli/atomic_file.hpp"

#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace vmc::cli {

void write_atomically(const std::string& path, std::string_view bytes, std::string_view flag) {
    std::string tmp = fmt::format("{}.tmp.{}", path, getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::remove(tmp.c_str());
            throw std::runtime_error(fmt::format("{} {}: cannot write", flag, path));
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw std::runtime_error(fmt::format("{} {}: cannot rename into place", flag, path));
    }
}

} // namespace vmc::cli
