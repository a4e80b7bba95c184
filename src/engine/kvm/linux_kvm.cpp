// KvmApi on the real kernel: each method is one ioctl on the right fd.
#include "engine/kvm/kvm_api.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace vmc::kvm {

KvmError::KvmError(const std::string& call, int error)
    : std::runtime_error(call + ": " + std::strerror(error)), error_(error) {}

namespace {

class LinuxKvm final : public KvmApi {
public:
    explicit LinuxKvm(int fd) : fd_(fd) {}
    ~LinuxKvm() override { ::close(fd_); }

    int api_version() override {
        return call(fd_, uapi::GET_API_VERSION, 0UL, "KVM_GET_API_VERSION");
    }
    int create_vm() override { return call(fd_, uapi::CREATE_VM, 0UL, "KVM_CREATE_VM"); }
    size_t vcpu_mmap_size() override {
        return static_cast<size_t>(
            call(fd_, uapi::GET_VCPU_MMAP_SIZE, 0UL, "KVM_GET_VCPU_MMAP_SIZE"));
    }
    int check_extension(int vm, uint32_t cap) override {
        int r = ::ioctl(vm, uapi::CHECK_EXTENSION, static_cast<unsigned long>(cap));
        return r < 0 ? 0 : r;
    }
    void set_user_memory_region(int vm, const uapi::UserspaceMemoryRegion& region) override {
        call(vm, uapi::SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");
    }
    int create_vcpu(int vm, unsigned id) override {
        return call(vm, uapi::CREATE_VCPU, static_cast<unsigned long>(id), "KVM_CREATE_VCPU");
    }
    void create_device(int vm, uapi::CreateDevice& device) override {
        call(vm, uapi::CREATE_DEVICE, &device, "KVM_CREATE_DEVICE");
    }
    void irq_line(int vm, const uapi::IrqLevel& level) override {
        call(vm, uapi::IRQ_LINE, &level, "KVM_IRQ_LINE");
    }
    void set_gsi_routing(int vm, const uapi::IrqRouting& routing) override {
        call(vm, uapi::SET_GSI_ROUTING, &routing, "KVM_SET_GSI_ROUTING");
    }
    void get_pvinfo(int vm, uapi::PpcPvinfo& info) override {
        call(vm, uapi::PPC_GET_PVINFO, &info, "KVM_PPC_GET_PVINFO");
    }
    void set_device_attr(int device, const uapi::DeviceAttr& attr) override {
        call(device, uapi::SET_DEVICE_ATTR, &attr, "KVM_SET_DEVICE_ATTR");
    }
    uapi::Run* map_run(int vcpu, size_t size) override {
        void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
        if (p == MAP_FAILED) throw KvmError("mmap of kvm_run", errno);
        return static_cast<uapi::Run*>(p);
    }
    void unmap_run(uapi::Run* run, size_t size) override { ::munmap(run, size); }
    void get_regs(int vcpu, uapi::Regs& regs) override {
        call(vcpu, uapi::GET_REGS, &regs, "KVM_GET_REGS");
    }
    void set_regs(int vcpu, const uapi::Regs& regs) override {
        call(vcpu, uapi::SET_REGS, &regs, "KVM_SET_REGS");
    }
    void get_sregs(int vcpu, uapi::Sregs& sregs) override {
        call(vcpu, uapi::GET_SREGS, &sregs, "KVM_GET_SREGS");
    }
    void set_sregs(int vcpu, const uapi::Sregs& sregs) override {
        call(vcpu, uapi::SET_SREGS, &sregs, "KVM_SET_SREGS");
    }
    void get_one_reg(int vcpu, const uapi::OneReg& reg) override {
        call(vcpu, uapi::GET_ONE_REG, &reg, "KVM_GET_ONE_REG");
    }
    void set_one_reg(int vcpu, const uapi::OneReg& reg) override {
        call(vcpu, uapi::SET_ONE_REG, &reg, "KVM_SET_ONE_REG");
    }
    void enable_cap(int vcpu, const uapi::EnableCap& cap) override {
        call(vcpu, uapi::ENABLE_CAP, &cap, "KVM_ENABLE_CAP");
    }
    void dirty_tlb(int vcpu, const uapi::DirtyTlb& dirty) override {
        call(vcpu, uapi::DIRTY_TLB, &dirty, "KVM_DIRTY_TLB");
    }
    void set_guest_debug(int vcpu, const uapi::GuestDebug& debug) override {
        call(vcpu, uapi::SET_GUEST_DEBUG, &debug, "KVM_SET_GUEST_DEBUG");
    }
    int run(int vcpu) override {
        int r = ::ioctl(vcpu, uapi::RUN, 0UL);
        return r < 0 ? -errno : 0;
    }
    void close(int fd) override { ::close(fd); }

private:
    template <typename Arg> static int call(int fd, uint32_t request, Arg arg, const char* name) {
        int r = ::ioctl(fd, request, arg);
        if (r < 0) throw KvmError(name, errno);
        return r;
    }
    int fd_;
};

} // namespace

std::unique_ptr<KvmApi> open_linux_kvm(const std::string& path) {
#if !defined(__powerpc__) && !defined(__powerpc64__)
    (void)path;
    throw KvmError("KVM engine: this host is not powerpc (Book E KVM needs an e500mc/e5500 host)",
                   ENODEV);
#else
    int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) throw KvmError("open " + path, errno);
    auto api = std::make_unique<LinuxKvm>(fd);
    if (int version = api->api_version(); version != uapi::kApiVersion)
        throw KvmError("KVM API version " + std::to_string(version) + " (12 expected)", EINVAL);
    return api;
#endif
}

} // namespace vmc::kvm
