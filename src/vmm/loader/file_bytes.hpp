// Reading guest images from files, with errors that name the file.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace vmc::vmm::loader {

// A whole file mapped read-only. Loaders parse headers in place, so
// planning a boot (or `vmcompose dtb`) touches only the pages it reads, and
// loading copies each segment once, straight into guest RAM.
class MappedFile {
public:
    // Throws LoadError when the file cannot be opened or mapped, is not a
    // regular file, or is larger than `limit` bytes (a guest image never
    // needs more than guest RAM).
    static std::shared_ptr<const MappedFile> open(const std::string& path, uint64_t limit);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::span<const uint8_t> bytes() const { return {data_, size_}; }

private:
    MappedFile(const uint8_t* data, size_t size) : data_(data), size_(size) {}
    const uint8_t* data_;
    size_t size_;
};

// Size in bytes; throws LoadError when the file is missing or not a regular file.
uint64_t file_size(const std::string& path);

// Reads the whole file into `dest`, which must be exactly its size; throws
// LoadError naming the file otherwise (it changed since it was measured).
void read_file_into(const std::string& path, std::span<uint8_t> dest);

} // namespace vmc::vmm::loader
