// A virtio device type for transport tests: it echoes each chain's readable
// bytes into its writable ones, and counts activations and resets.
#pragma once

#include "devices/virtio/transport.hpp"

namespace vmc::testing {

struct Echo : devices::virtio::VirtioDevice {
    std::vector<uint8_t> cfg{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    int activations = 0, resets = 0;
    uint32_t device_id() const override { return 42; }
    uint64_t features() const override { return 1u << 3; }
    unsigned queue_count() const override { return 2; }
    std::vector<uint8_t> config() const override { return cfg; }
    void write_config(uint32_t offset, std::span<const uint8_t> bytes) override {
        for (size_t i = 0; i < bytes.size() && offset + i < cfg.size(); ++i)
            cfg[offset + i] = bytes[i];
    }
    void activate(devices::virtio::Transport&) override { ++activations; }
    void reset() override { ++resets; }
    void notify(devices::virtio::Transport& t, unsigned queue) override {
        bool any = false;
        while (auto chain = t.queue(queue).pop(t.ram())) {
            std::vector<uint8_t> bytes(devices::virtio::readable_length(chain->buffers));
            size_t n =
                devices::virtio::read_from(t.ram(), chain->buffers, 0, bytes.data(), bytes.size());
            n = devices::virtio::write_to(t.ram(), chain->buffers, 0, bytes.data(), n);
            t.queue(queue).push(t.ram(), chain->head, static_cast<uint32_t>(n));
            any = true;
        }
        if (any) t.used(queue);
    }
};

} // namespace vmc::testing
