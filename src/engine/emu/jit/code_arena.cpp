#include "engine/emu/jit/code_arena.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

namespace vmc::emu::jit {

CodeArena::CodeArena(size_t capacity) {
    if (capacity == 0) return;
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    capacity = (capacity + page - 1) / page * page;
    int fd = memfd_create("vmcompose-jit", MFD_CLOEXEC);
    if (fd < 0) return;
    if (ftruncate(fd, static_cast<off_t>(capacity)) != 0) {
        close(fd);
        return;
    }
    void* w = mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void* x = mmap(nullptr, capacity, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    close(fd); // the mappings keep the file
    if (w == MAP_FAILED || x == MAP_FAILED) {
        if (w != MAP_FAILED) munmap(w, capacity);
        if (x != MAP_FAILED) munmap(x, capacity);
        return;
    }
    write_ = static_cast<uint8_t*>(w);
    exec_ = static_cast<uint8_t*>(x);
    capacity_ = capacity;
}

CodeArena::~CodeArena() {
    if (!exec_) return;
    munmap(write_, capacity_);
    munmap(exec_, capacity_);
}

const uint8_t* CodeArena::append(std::span<const uint8_t> code) {
    // 16-byte aligned entries: the host fetches a block's first bytes in one go.
    size_t at = (used_ + 15) & ~size_t{15};
    if (!exec_ || at + code.size() > capacity_) return nullptr;
    std::memcpy(write_ + at, code.data(), code.size());
    used_ = at + code.size();
    // x86 keeps instruction fetch coherent with stores through another
    // mapping of the same memory; other hosts do not run translated code.
    return exec_ + at;
}

} // namespace vmc::emu::jit
