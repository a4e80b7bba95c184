// A file in $TMPDIR holding one fuzz input, for the entry points that take
// a path (machine files, kernel images, disk images). Removed on scope exit.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <span>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace vmc::fuzz {

class TempFile {
public:
    TempFile(std::span<const uint8_t> contents, const std::string& suffix) {
        const char* dir = std::getenv("TMPDIR");
        path_ = std::string(dir && *dir ? dir : "/tmp") + "/vmc-fuzz-XXXXXX" + suffix;
        int fd = mkstemps(path_.data(), static_cast<int>(suffix.size()));
        if (fd < 0) throw std::runtime_error("cannot create a temporary file");
        size_t done = 0;
        while (done < contents.size()) {
            ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
            if (n <= 0) break;
            done += static_cast<size_t>(n);
        }
        ::close(fd);
    }
    ~TempFile() { ::unlink(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const std::string& path() const { return path_; }

private:
    std::string path_;
};

} // namespace vmc::fuzz
