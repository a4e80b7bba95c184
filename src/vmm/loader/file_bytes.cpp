#include "vmm/loader/file_bytes.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "vmm/loader/load_error.hpp"

namespace vmc::vmm::loader {
namespace {

class Fd {
  public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

  private:
    int fd_;
};

uint64_t regular_file_size(const std::string& path, int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw LoadError(path, std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw LoadError(path, "not a regular file");
    return static_cast<uint64_t>(st.st_size);
}

} // namespace

uint64_t file_size(const std::string& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) throw LoadError(path, std::strerror(errno));
    return regular_file_size(path, fd.get());
}

std::vector<uint8_t> read_file(const std::string& path, uint64_t limit) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) throw LoadError(path, std::strerror(errno));
    uint64_t size = regular_file_size(path, fd.get());
    if (size > limit)
        throw LoadError(
            path, fmt::format("file is {} bytes, larger than guest RAM ({} bytes)", size, limit));
    std::vector<uint8_t> bytes(size);
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw LoadError(path, std::strerror(errno));
        if (n == 0) throw LoadError(path, "file shrank while being read");
        done += static_cast<size_t>(n);
    }
    return bytes;
}

} // namespace vmc::vmm::loader
