// virtio-blk: a raw image file. A write the guest saw completed after a
// FLUSH is on disk (fdatasync before the FLUSH completes). A writable image
// is locked, so a second VM cannot corrupt it.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <stdexcept>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices/virtio/make_device.hpp"
#include "devices/virtio/transport.hpp"
#include "devices/virtio/virtio_config.hpp"
#include "devices/virtio_blk/kind.hpp"
#include "devices/virtio_blk/virtio_blk_config.hpp"

namespace vmc::devices::virtio_blk {

namespace {
constexpr uint64_t kFeatureSizeMax = 1u << 1, kFeatureSegMax = 1u << 2, kFeatureRo = 1u << 5,
                   kFeatureFlush = 1u << 9;
constexpr uint32_t kIn = 0, kOut = 1, kFlush = 4, kGetId = 8;
constexpr uint8_t kOk = 0, kIoErr = 1, kUnsupported = 2;
constexpr uint64_t kSector = 512;
constexpr uint32_t kSegMax = 126;
// Largest single segment, and the bounce buffer a request goes through.
constexpr uint32_t kSizeMax = 1u << 20;

class Blk final : public virtio::VirtioDevice {
public:
    Blk(const std::string& name, const Config& config, uint32_t queue_size_max)
        : config_(config), seg_max_(std::clamp<uint32_t>(queue_size_max, 3, kSegMax + 2) - 2) {
        fd_ = ::open(config.image.c_str(), (config.readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
        if (fd_ < 0)
            throw std::runtime_error(
                fmt::format("virtio-blk {}: cannot open image {}{}: {}", name, config.image,
                            config.readonly ? "" : " for writing", std::strerror(errno)));
        // A writer excludes everyone; readers only exclude writers. Two VMs
        // (or a VM and a second vmcompose) can then never both write an image.
        if (flock(fd_, (config.readonly ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
            int err = errno;
            ::close(fd_);
            throw std::runtime_error(err == EWOULDBLOCK
                                         ? fmt::format("virtio-blk {}: image {} is in use by "
                                                       "another process (locked); stop the other "
                                                       "VM or give this one a copy",
                                                       name, config.image)
                                         : fmt::format("virtio-blk {}: cannot lock image {}: {}",
                                                       name, config.image, std::strerror(err)));
        }
        struct stat st {};
        if (fstat(fd_, &st) != 0) {
            int err = errno;
            ::close(fd_);
            throw std::runtime_error(
                fmt::format("virtio-blk {}: image {}: {}", name, config.image, std::strerror(err)));
        }
        sectors_ = static_cast<uint64_t>(st.st_size) / kSector;
    }
    ~Blk() override { ::close(fd_); }

    uint32_t device_id() const override { return virtio::kDeviceBlock; }
    uint64_t features() const override {
        return kFeatureSizeMax | kFeatureSegMax | kFeatureFlush |
               (config_.readonly ? kFeatureRo : 0);
    }
    unsigned queue_count() const override { return 1; }
    std::vector<uint8_t> config() const override {
        std::vector<uint8_t> c(16, 0);
        for (int i = 0; i < 8; ++i)
            c[i] = static_cast<uint8_t>(sectors_ >> (8 * i));
        for (int i = 0; i < 4; ++i)
            c[8 + i] = static_cast<uint8_t>(kSizeMax >> (8 * i));
        for (int i = 0; i < 4; ++i)
            c[12 + i] = static_cast<uint8_t>(seg_max_ >> (8 * i));
        return c;
    }

    void activate(virtio::Transport& t) override {
        // A driver that cannot send FLUSH assumes a write-through disk (virtio 1.x 5.2.6.2).
        write_through_ = !(t.driver_features() & kFeatureFlush);
    }

    void notify(virtio::Transport& t, unsigned queue) override {
        if (queue != 0) return;
        bool any = false;
        while (auto chain = t.queue(0).pop(t.ram())) {
            uint32_t written = handle(t, *chain);
            t.queue(0).push(t.ram(), chain->head, written);
            any = true;
        }
        if (any) t.used(0);
    }

private:
    // Returns the bytes written into the chain (data + status byte).
    uint32_t handle(virtio::Transport& t, const virtio::Chain& chain) {
        auto& ram = t.ram();
        size_t in_len = virtio::writable_length(chain.buffers);
        if (in_len == 0) {
            // Nowhere to put a status: the driver is broken (QEMU treats it the same way).
            t.queue(0).fail("block request without a status byte");
            return 0;
        }
        uint8_t header[16];
        uint8_t status = kIoErr;
        size_t data_in = in_len - 1; // the last writable byte is the status
        uint32_t written = 0;
        if (virtio::read_from(ram, chain.buffers, 0, header, 16) == 16) {
            uint32_t type =
                header[0] | header[1] << 8 | header[2] << 16 | uint32_t{header[3]} << 24;
            uint64_t sector = 0;
            for (int i = 0; i < 8; ++i)
                sector |= uint64_t{header[8 + i]} << (8 * i);
            size_t out_len = virtio::readable_length(chain.buffers) - 16;
            switch (type) {
            case kIn:
                status = read_sectors(ram, chain, sector, data_in, written);
                break;
            case kOut:
                status = config_.readonly ? kIoErr : write_sectors(ram, chain, sector, out_len);
                break;
            case kFlush:
                status = config_.readonly || fdatasync(fd_) == 0 ? kOk : kIoErr;
                break;
            case kGetId: {
                char id[20] = {};
                // Up to 20 bytes, NUL-padded and not NUL-terminated when full (virtio spec 5.2.6).
                std::memcpy(id, config_.serial.data(), std::min(config_.serial.size(), sizeof id));
                written = static_cast<uint32_t>(
                    virtio::write_to(ram, chain.buffers, 0, reinterpret_cast<uint8_t*>(id),
                                     std::min<size_t>(sizeof id, data_in)));
                status = kOk;
                break;
            }
            default:
                status = kUnsupported;
                break;
            }
        }
        virtio::write_to(ram, chain.buffers, data_in, &status, 1);
        return written + 1;
    }

    bool in_range(uint64_t sector, size_t bytes) const {
        return bytes % kSector == 0 && sector <= sectors_ && bytes / kSector <= sectors_ - sector;
    }

    uint8_t read_sectors(vmm::GuestRam& ram, const virtio::Chain& chain, uint64_t sector,
                         size_t length, uint32_t& written) {
        if (!in_range(sector, length)) return kIoErr;
        std::vector<uint8_t> buf(std::min<size_t>(length, kSizeMax));
        size_t done = 0;
        while (done < length) {
            size_t n = std::min(buf.size(), length - done);
            ssize_t got = pread(fd_, buf.data(), n, static_cast<off_t>(sector * kSector + done));
            if (got != static_cast<ssize_t>(n)) return kIoErr;
            virtio::write_to(ram, chain.buffers, done, buf.data(), n);
            done += n;
        }
        written = static_cast<uint32_t>(done);
        return kOk;
    }

    uint8_t write_sectors(vmm::GuestRam& ram, const virtio::Chain& chain, uint64_t sector,
                          size_t length) {
        if (!in_range(sector, length)) return kIoErr;
        std::vector<uint8_t> buf(std::min<size_t>(length, kSizeMax));
        size_t done = 0;
        while (done < length) {
            size_t n = std::min(buf.size(), length - done);
            if (virtio::read_from(ram, chain.buffers, 16 + done, buf.data(), n) != n) return kIoErr;
            if (pwrite(fd_, buf.data(), n, static_cast<off_t>(sector * kSector + done)) !=
                static_cast<ssize_t>(n))
                return kIoErr;
            done += n;
        }
        return write_through_ && fdatasync(fd_) != 0 ? kIoErr : kOk;
    }

    Config config_;
    uint32_t seg_max_;
    bool write_through_ = false;
    int fd_ = -1;
    uint64_t sectors_ = 0;
};
} // namespace

std::unique_ptr<vmm::Device> create(const model::Device& device, vmm::Vm& vm) {
    const Config& config = config_of<Config>(device);
    return virtio::make_device(device, vm, config,
                               std::make_unique<Blk>(device.name, config, config.queue_size_max));
}

} // namespace vmc::devices::virtio_blk
