// The narrow interface between the KVM engine and the kernel: one method per
// ioctl the engine issues, with the kernel's own structures (uapi.hpp).
// LinuxKvm implements it on /dev/kvm; the tests implement it on the built-in
// emulator. Handles are file descriptors (or what stands in for them).
//
// Every method except run() throws KvmError naming the call on failure.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine/kvm/uapi.hpp"

namespace vmc::kvm {

class KvmError : public std::runtime_error {
public:
    KvmError(const std::string& call, int error);
    int error() const { return error_; } // errno value
private:
    int error_;
};

class KvmApi {
public:
    virtual ~KvmApi() = default;

    // /dev/kvm
    virtual int api_version() = 0;
    virtual int create_vm() = 0;
    virtual size_t vcpu_mmap_size() = 0;
    // VM fd: > 0 when supported (some capabilities return a count).
    virtual int check_extension(int vm, uint32_t cap) = 0;
    virtual void set_user_memory_region(int vm, const uapi::UserspaceMemoryRegion& region) = 0;
    virtual int create_vcpu(int vm, unsigned id) = 0;
    virtual void create_device(int vm, uapi::CreateDevice& device) = 0; // fills device.fd
    virtual void irq_line(int vm, const uapi::IrqLevel& level) = 0;
    // `routing` is followed in memory by routing.nr IrqRoutingEntry values.
    virtual void set_gsi_routing(int vm, const uapi::IrqRouting& routing) = 0;
    virtual void get_pvinfo(int vm, uapi::PpcPvinfo& info) = 0;
    // Device fd
    virtual void set_device_attr(int device, const uapi::DeviceAttr& attr) = 0;
    // vCPU fd
    virtual uapi::Run* map_run(int vcpu, size_t size) = 0;
    virtual void unmap_run(uapi::Run* run, size_t size) = 0;
    virtual void get_regs(int vcpu, uapi::Regs& regs) = 0;
    virtual void set_regs(int vcpu, const uapi::Regs& regs) = 0;
    virtual void get_sregs(int vcpu, uapi::Sregs& sregs) = 0;
    virtual void set_sregs(int vcpu, const uapi::Sregs& sregs) = 0;
    virtual void get_one_reg(int vcpu, const uapi::OneReg& reg) = 0;
    virtual void set_one_reg(int vcpu, const uapi::OneReg& reg) = 0;
    virtual void enable_cap(int vcpu, const uapi::EnableCap& cap) = 0;
    virtual void dirty_tlb(int vcpu, const uapi::DirtyTlb& dirty) = 0;
    virtual void set_guest_debug(int vcpu, const uapi::GuestDebug& debug) = 0;
    // KVM_RUN: 0 when the kernel filled run->exit_reason, or -errno
    // (-EINTR: a signal or immediate_exit interrupted it).
    virtual int run(int vcpu) = 0;

    virtual void close(int fd) = 0;
};

// /dev/kvm. Throws KvmError when it cannot be opened, and on hosts that are
// not 32-bit or 64-bit powerpc (the ioctl numbers are powerpc's).
std::unique_ptr<KvmApi> open_linux_kvm(const std::string& path = "/dev/kvm");

} // namespace vmc::kvm
