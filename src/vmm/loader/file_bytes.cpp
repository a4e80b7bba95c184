#include "vmm/loader/file_bytes.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "vmm/loader/load_error.hpp"

namespace vmc::vmm::loader {
namespace {

class Fd {
public:
    explicit Fd(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
        if (fd_ < 0) throw LoadError(path, std::strerror(errno));
    }
    ~Fd() { ::close(fd_); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

uint64_t regular_file_size(const std::string& path, const Fd& fd) {
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw LoadError(path, std::strerror(errno));
    if (!S_ISREG(st.st_mode)) throw LoadError(path, "not a regular file");
    return static_cast<uint64_t>(st.st_size);
}

} // namespace

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path, uint64_t limit) {
    Fd fd(path);
    uint64_t size = regular_file_size(path, fd);
    if (size > limit)
        throw LoadError(
            path, fmt::format("file is {} bytes, larger than guest RAM ({} bytes)", size, limit));
    if (size == 0) return std::shared_ptr<const MappedFile>(new MappedFile(nullptr, 0));
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
    if (p == MAP_FAILED) throw LoadError(path, std::string("cannot map: ") + std::strerror(errno));
    return std::shared_ptr<const MappedFile>(
        new MappedFile(static_cast<const uint8_t*>(p), static_cast<size_t>(size)));
}

MappedFile::~MappedFile() {
    if (size_ != 0) ::munmap(const_cast<uint8_t*>(data_), size_);
}

uint64_t file_size(const std::string& path) {
    Fd fd(path);
    return regular_file_size(path, fd);
}

void read_file_into(const std::string& path, std::span<uint8_t> dest) {
    Fd fd(path);
    uint64_t size = regular_file_size(path, fd);
    if (size != dest.size())
        throw LoadError(path, fmt::format("file changed size since the boot plan was made "
                                          "({} bytes, now {})",
                                          dest.size(), size));
    size_t done = 0;
    while (done < dest.size()) {
        ssize_t n = ::read(fd.get(), dest.data() + done, dest.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw LoadError(path, std::strerror(errno));
        if (n == 0) throw LoadError(path, "file shrank while being read");
        done += static_cast<size_t>(n);
    }
}

} // namespace vmc::vmm::loader
