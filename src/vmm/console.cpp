// Console backend selection, plus the two backends without input: `null`
// and `file:PATH`.
#include "vmm/console.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <stdexcept>
#include <unistd.h>

#include "vmm/console_backends.hpp"

namespace vmc::vmm {

bool write_all(int fd, std::span<const uint8_t> bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

namespace {

class NullConsole final : public Console {
public:
    void write(std::span<const uint8_t>) override {}
};

// Output only. The file is truncated when the VM starts (one run, one log)
// and then appended to, so several consoles may share one file without
// overwriting each other's bytes.
class FileConsole final : public Console {
public:
    explicit FileConsole(const std::string& path) {
        if (path.empty()) throw std::runtime_error("console file: needs a path (file:PATH)");
        fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
        if (fd_ < 0)
            throw std::runtime_error(
                fmt::format("console file:{}: {}", path, std::strerror(errno)));
    }
    ~FileConsole() override { ::close(fd_); }
    void write(std::span<const uint8_t> bytes) override { write_all(fd_, bytes); }

private:
    int fd_ = -1;
};

} // namespace

std::unique_ptr<Console> open_file_console(const std::string& path) {
    return std::make_unique<FileConsole>(path);
}

std::unique_ptr<Console> open_console(std::string_view spec, EventLoop& events,
                                      VmControl& control) {
    if (spec == "null") return std::make_unique<NullConsole>();
    if (spec == "stdio") return open_stdio_console(events, control);
    if (spec.starts_with("file:")) return open_file_console(std::string(spec.substr(5)));
    if (spec.starts_with("unix:")) return open_unix_console(std::string(spec.substr(5)), events);
    throw std::runtime_error(fmt::format(
        "console '{}': unknown backend (expected stdio, file:PATH, unix:PATH or null)", spec));
}

} // namespace vmc::vmm
