// Console backend selection, the two backends without input (`null` and
// `file:PATH`), and the log copy any backend may have beside it.
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

// Everything the guest writes goes to the backend and to the log file;
// what the backend receives (keys, breaks) reaches the device unchanged.
class LoggedConsole final : public Console {
public:
    LoggedConsole(std::unique_ptr<Console> inner, std::unique_ptr<Console> log)
        : inner_(std::move(inner)), log_(std::move(log)) {
        inner_->set_input_handler([this](std::span<const uint8_t> bytes) { deliver(bytes); });
        inner_->set_break_handler([this] { deliver_break(); });
    }
    ~LoggedConsole() override {
        inner_->set_input_handler(nullptr);
        inner_->set_break_handler(nullptr);
    }
    void write(std::span<const uint8_t> bytes) override {
        inner_->write(bytes);
        log_->write(bytes);
    }

private:
    std::unique_ptr<Console> inner_;
    std::unique_ptr<Console> log_;
};

} // namespace

std::unique_ptr<Console> with_log(std::unique_ptr<Console> inner, const std::string& log) {
    try {
        return std::make_unique<LoggedConsole>(std::move(inner), open_file_console(log));
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(fmt::format("console log: {}", e.what()));
    }
}

std::unique_ptr<Console> open_file_console(const std::string& path) {
    return std::make_unique<FileConsole>(path);
}

std::unique_ptr<Console> open_console(const ConsoleSpec& spec, const ConsoleContext& context) {
    std::string_view backend = spec.backend;
    std::unique_ptr<Console> console;
    if (backend == "null")
        console = std::make_unique<NullConsole>();
    else if (backend == "stdio")
        console = open_stdio_console(context);
    else if (backend.starts_with("file:"))
        console = open_file_console(std::string(backend.substr(5)));
    else if (backend.starts_with("unix:"))
        console = open_unix_console(std::string(backend.substr(5)), spec.wait, context.events);
    else
        throw std::runtime_error(fmt::format(
            "console '{}': unknown backend (expected stdio, file:PATH, unix:PATH or null)",
            backend));
    if (spec.wait && !backend.starts_with("unix:"))
        throw std::runtime_error(
            fmt::format("console '{}': `wait` applies to unix:PATH consoles only", backend));
    return spec.log.empty() ? std::move(console) : with_log(std::move(console), spec.log);
}

std::unique_ptr<Console> open_console(std::string_view spec, EventLoop& events,
                                      VmControl& control) {
    return open_console(ConsoleSpec{std::string(spec), {}, false}, ConsoleContext{events, control});
}

} // namespace vmc::vmm
