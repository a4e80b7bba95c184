// On a powerpc build, pins uapi.hpp to the kernel's own headers: every
// constant and layout the engine relies on must match <linux/kvm.h>. A
// powerpc build without the header fails here rather than passing silently.
#if defined(__powerpc__)
#if !__has_include(<linux/kvm.h>)
#error                                                                                             \
    "uapi_check.cpp needs the powerpc <linux/kvm.h> (linux-libc-dev for the target) to check uapi.hpp against"
#endif
#include <linux/kvm.h>

#include <cstddef>

#include "engine/kvm/uapi.hpp"
#include "vmm/boot_state.hpp"

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

// Every exit reason the engine tells apart.
static_assert(ExitUnknown == KVM_EXIT_UNKNOWN && ExitHlt == KVM_EXIT_HLT &&
              ExitFailEntry == KVM_EXIT_FAIL_ENTRY);
static_assert(ExitDcr == KVM_EXIT_DCR && ExitSystemEvent == KVM_EXIT_SYSTEM_EVENT);
// KVM_EXIT_DEBUG's fields (kvm_debug_exit_arch) and KVM_EXIT_UNKNOWN's.
static_assert(offsetof(Run, debug.address) == offsetof(kvm_run, debug.arch.address));
static_assert(offsetof(Run, debug.status) == offsetof(kvm_run, debug.arch.status));
static_assert(offsetof(Run, hw.hardware_exit_reason) == offsetof(kvm_run, hw.hardware_exit_reason));
static_assert(offsetof(Run, immediate_exit) == offsetof(kvm_run, immediate_exit) &&
              offsetof(Run, exit_reason) == offsetof(kvm_run, exit_reason));
static_assert(offsetof(Run, mmio.phys_addr) == offsetof(kvm_run, mmio.phys_addr) &&
              offsetof(Run, mmio.len) == offsetof(kvm_run, mmio.len) &&
              offsetof(Run, mmio.is_write) == offsetof(kvm_run, mmio.is_write));
static_assert(offsetof(Run, epr.epr) == offsetof(kvm_run, epr.epr));
// The shared TLB array: vmm::TlbEntry is kvm_book3e_206_tlb_entry, field by field.
static_assert(sizeof(vmm::TlbEntry) == sizeof(kvm_book3e_206_tlb_entry));
static_assert(offsetof(vmm::TlbEntry, mas8) == offsetof(kvm_book3e_206_tlb_entry, mas8) &&
              offsetof(vmm::TlbEntry, mas1) == offsetof(kvm_book3e_206_tlb_entry, mas1));
static_assert(offsetof(vmm::TlbEntry, mas2) == offsetof(kvm_book3e_206_tlb_entry, mas2) &&
              offsetof(vmm::TlbEntry, mas7_3) == offsetof(kvm_book3e_206_tlb_entry, mas7_3));
// GSI routing.
static_assert(CapIrqRouting == KVM_CAP_IRQ_ROUTING && SET_GSI_ROUTING == KVM_SET_GSI_ROUTING);
static_assert(kIrqRoutingIrqchip == KVM_IRQ_ROUTING_IRQCHIP);
static_assert(sizeof(IrqRouting) == sizeof(kvm_irq_routing) &&
              sizeof(IrqRoutingEntry) == sizeof(kvm_irq_routing_entry));
static_assert(offsetof(IrqRoutingEntry, u.irqchip.irqchip) ==
                  offsetof(kvm_irq_routing_entry, u.irqchip.irqchip) &&
              offsetof(IrqRoutingEntry, u.irqchip.pin) ==
                  offsetof(kvm_irq_routing_entry, u.irqchip.pin));
static_assert(sregs::E_PM == KVM_SREGS_E_PM && sregs::E_SPRG8 == KVM_SREGS_E_SPRG8 &&
              sregs::E_UPDATE_MCSR == KVM_SREGS_E_UPDATE_MCSR);

} // namespace vmc::kvm::uapi
#endif
