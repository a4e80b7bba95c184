// On a powerpc build, pins uapi.hpp to the kernel's own headers: every
// constant and layout the engine relies on must match <linux/kvm.h>.
#if defined(__powerpc__) && __has_include(<linux/kvm.h>)
#include <linux/kvm.h>

#include <cstddef>

#include "engine/kvm/uapi.hpp"

namespace vmc::kvm::uapi {

static_assert(sizeof(Regs) == sizeof(kvm_regs) && sizeof(Sregs) == sizeof(kvm_sregs));
static_assert(sizeof(Run) == sizeof(kvm_run));
static_assert(offsetof(Run, mmio.data) == offsetof(kvm_run, mmio.data));
static_assert(offsetof(Run, s) == offsetof(kvm_run, s));
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, update_special) ==
              offsetof(kvm_sregs, u.e.update_special));
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, dec) == offsetof(kvm_sregs, u.e.dec));
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, ivor_high) ==
              offsetof(kvm_sregs, u.e.ivor_high));
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, epsc) == offsetof(kvm_sregs, u.e.epsc));
static_assert(sizeof(EnableCap) == sizeof(kvm_enable_cap));
static_assert(sizeof(ConfigTlb) == sizeof(kvm_config_tlb));
static_assert(sizeof(DirtyTlb) == sizeof(kvm_dirty_tlb));
static_assert(sizeof(Book3e206TlbParams) == sizeof(kvm_book3e_206_tlb_params));
static_assert(sizeof(PpcPvinfo) == sizeof(kvm_ppc_pvinfo));
static_assert(sizeof(CreateDevice) == sizeof(kvm_create_device));
static_assert(sizeof(DeviceAttr) == sizeof(kvm_device_attr));
static_assert(sizeof(UserspaceMemoryRegion) == sizeof(kvm_userspace_memory_region));
static_assert(GET_API_VERSION == KVM_GET_API_VERSION && CREATE_VM == KVM_CREATE_VM);
static_assert(CHECK_EXTENSION == KVM_CHECK_EXTENSION &&
              GET_VCPU_MMAP_SIZE == KVM_GET_VCPU_MMAP_SIZE);
static_assert(CREATE_VCPU == KVM_CREATE_VCPU &&
              SET_USER_MEMORY_REGION == KVM_SET_USER_MEMORY_REGION);
static_assert(IRQ_LINE == KVM_IRQ_LINE && PPC_GET_PVINFO == KVM_PPC_GET_PVINFO);
static_assert(CREATE_DEVICE == KVM_CREATE_DEVICE && SET_DEVICE_ATTR == KVM_SET_DEVICE_ATTR);
static_assert(ENABLE_CAP == KVM_ENABLE_CAP && RUN == KVM_RUN);
static_assert(GET_REGS == KVM_GET_REGS && SET_REGS == KVM_SET_REGS);
static_assert(GET_SREGS == KVM_GET_SREGS && SET_SREGS == KVM_SET_SREGS);
static_assert(GET_ONE_REG == KVM_GET_ONE_REG && SET_ONE_REG == KVM_SET_ONE_REG);
static_assert(DIRTY_TLB == KVM_DIRTY_TLB);
static_assert(CapSwTlb == KVM_CAP_SW_TLB && CapPpcBookeSregs == KVM_CAP_PPC_BOOKE_SREGS);
static_assert(CapDeviceCtrl == KVM_CAP_DEVICE_CTRL && CapIrqMpic == KVM_CAP_IRQ_MPIC);
static_assert(CapPpcEpr == KVM_CAP_PPC_EPR && CapOneReg == KVM_CAP_ONE_REG);
static_assert(CapPpcGetPvinfo == KVM_CAP_PPC_GET_PVINFO &&
              CapImmediateExit == KVM_CAP_IMMEDIATE_EXIT);
static_assert(CapPpcBookeWatchdog == KVM_CAP_PPC_BOOKE_WATCHDOG);
static_assert(ExitMmio == KVM_EXIT_MMIO && ExitEpr == KVM_EXIT_EPR &&
              ExitWatchdog == KVM_EXIT_WATCHDOG);
static_assert(ExitDebug == KVM_EXIT_DEBUG && ExitIntr == KVM_EXIT_INTR);
static_assert(ExitInternalError == KVM_EXIT_INTERNAL_ERROR && ExitShutdown == KVM_EXIT_SHUTDOWN);
static_assert(kMmuFslBookeNohv == KVM_MMU_FSL_BOOKE_NOHV && kMmuFslBookeHv == KVM_MMU_FSL_BOOKE_HV);
static_assert(kDevTypeFslMpic20 == KVM_DEV_TYPE_FSL_MPIC_20 &&
              kDevTypeFslMpic42 == KVM_DEV_TYPE_FSL_MPIC_42);
static_assert(kDevMpicGrpMisc == KVM_DEV_MPIC_GRP_MISC &&
              kDevMpicBaseAddr == KVM_DEV_MPIC_BASE_ADDR);
static_assert(reg::TCR == KVM_REG_PPC_TCR && reg::TSR == KVM_REG_PPC_TSR &&
              reg::EPCR == KVM_REG_PPC_EPCR);
static_assert(reg::OR_TSR == KVM_REG_PPC_OR_TSR && reg::CLEAR_TSR == KVM_REG_PPC_CLEAR_TSR);
static_assert(reg::EPR == KVM_REG_PPC_EPR && reg::DEBUG_INST == KVM_REG_PPC_DEBUG_INST);
static_assert(sregs::E_UPDATE_DEC == KVM_SREGS_E_UPDATE_DEC &&
              sregs::E_UPDATE_TSR == KVM_SREGS_E_UPDATE_TSR);
static_assert(sregs::E_BASE == KVM_SREGS_E_BASE && sregs::E_ARCH206 == KVM_SREGS_E_ARCH206);
static_assert(sregs::E_IVOR == KVM_SREGS_E_IVOR && sregs::E_ARCH206_MMU == KVM_SREGS_E_ARCH206_MMU);
static_assert(sregs::E_PC == KVM_SREGS_E_PC && sregs::E_PM == KVM_SREGS_E_PM &&
              sregs::E_ED == KVM_SREGS_E_ED);
static_assert(kPvinfoFlagsEvIdle == KVM_PPC_PVINFO_FLAGS_EV_IDLE);
static_assert(sizeof(GuestDebug) == sizeof(kvm_guest_debug) &&
              SET_GUEST_DEBUG == KVM_SET_GUEST_DEBUG);
static_assert(offsetof(GuestDebug, bp) == offsetof(kvm_guest_debug, arch.bp));
static_assert(kGuestDbgEnable == KVM_GUESTDBG_ENABLE &&
              kGuestDbgSingleStep == KVM_GUESTDBG_SINGLESTEP);
static_assert(kGuestDbgUseSwBp == KVM_GUESTDBG_USE_SW_BP &&
              kGuestDbgUseHwBp == KVM_GUESTDBG_USE_HW_BP);
static_assert(kDebugBreakpoint == KVMPPC_DEBUG_BREAKPOINT &&
              kDebugWatchWrite == KVMPPC_DEBUG_WATCH_WRITE);
static_assert(kDebugWatchRead == KVMPPC_DEBUG_WATCH_READ);

} // namespace vmc::kvm::uapi
#endif
