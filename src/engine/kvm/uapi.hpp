// The part of Linux's KVM userspace API (include/uapi/linux/kvm.h and
// arch/powerpc/include/uapi/asm/kvm.h, 6.1) that the Book E engine uses,
// written out here because an x86 build has no powerpc uapi headers.
//
// Layouts are the powerpc ones. Every structure below has the same layout on
// x86-64 and on 32-bit powerpc (all 64-bit fields are naturally aligned), so
// the stand-in kernel in the tests sees what a real kernel would. The sizes
// and offsets were checked against powerpc-linux-gnu-gcc and the real headers;
// a powerpc build asserts them against <linux/kvm.h> (uapi_check.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace vmc::kvm::uapi {

// ---- ioctl numbers, encoded as powerpc encodes them ----
// powerpc: 13 size bits, 3 direction bits (none = 1, read = 2, write = 4),
// unlike the generic/x86 encoding; numbers are only meaningful on powerpc.
namespace detail {
constexpr uint32_t kIoNone = 1, kIoRead = 2, kIoWrite = 4;
constexpr uint32_t ioc(uint32_t dir, uint32_t nr, uint32_t size) {
    return (dir << 29) | ((size & 0x1fff) << 16) | (0xAEu << 8) | nr;
}
} // namespace detail
constexpr uint32_t io(uint32_t nr) {
    return detail::ioc(detail::kIoNone, nr, 0);
}
constexpr uint32_t iow(uint32_t nr, uint32_t size) {
    return detail::ioc(detail::kIoWrite, nr, size);
}
constexpr uint32_t ior(uint32_t nr, uint32_t size) {
    return detail::ioc(detail::kIoRead, nr, size);
}
constexpr uint32_t iowr(uint32_t nr, uint32_t size) {
    return detail::ioc(detail::kIoRead | detail::kIoWrite, nr, size);
}

constexpr int kApiVersion = 12;

// ---- capabilities (KVM_CAP_*) ----
enum Cap : uint32_t {
    CapUserMemory = 3,
    CapIrqRouting = 25,
    CapPpcGetPvinfo = 57,
    CapPpcBookeSregs = 62,
    CapSwTlb = 69,
    CapOneReg = 70,
    CapPpcBookeWatchdog = 83,
    CapPpcEpr = 86,
    CapDeviceCtrl = 89,
    CapIrqMpic = 90,
    CapImmediateExit = 136,
};

// ---- exit reasons (kvm_run.exit_reason) ----
enum Exit : uint32_t {
    ExitUnknown = 0,
    ExitDebug = 4,
    ExitHlt = 5,
    ExitMmio = 6,
    ExitShutdown = 8,
    ExitFailEntry = 9,
    ExitIntr = 10,
    ExitDcr = 15,
    ExitInternalError = 17,
    ExitWatchdog = 21,
    ExitEpr = 23,
    ExitSystemEvent = 24,
};

// ---- KVM_ENABLE_CAP KVM_CAP_SW_TLB ----
constexpr uint32_t kMmuFslBookeNohv = 0;
constexpr uint32_t kMmuFslBookeHv = 1; // rejected by 6.1 even on e500mc

struct Book3e206TlbParams {
    uint32_t tlb_sizes[4];
    uint32_t tlb_ways[4];
    uint32_t reserved[8];
};

struct ConfigTlb {
    uint64_t params; // userspace address of Book3e206TlbParams
    uint64_t array;  // userspace address of the kvm_book3e_206_tlb_entry array
    uint32_t mmu_type;
    uint32_t array_len; // bytes
};

struct DirtyTlb {
    uint64_t bitmap; // userspace address; one bit per entry, LSB of each u64 first
    uint32_t num_dirty;
};

struct EnableCap {
    uint32_t cap;
    uint32_t flags;
    uint64_t args[4];
    uint8_t pad[64];
};

// ---- memory, vCPU state ----
struct UserspaceMemoryRegion {
    uint32_t slot;
    uint32_t flags;
    uint64_t guest_phys_addr;
    uint64_t memory_size;
    uint64_t userspace_addr;
};

struct Regs {
    uint64_t pc, cr, ctr, lr, xer, msr, srr0, srr1, pid;
    uint64_t sprg0, sprg1, sprg2, sprg3, sprg4, sprg5, sprg6, sprg7;
    uint64_t gpr[32];
};

// kvm_sregs.features bits (Book E) and update_special bits.
namespace sregs {
constexpr uint32_t E_BASE = 1u << 0, E_ARCH206 = 1u << 1, E_64 = 1u << 2, E_SPRG8 = 1u << 3,
                   E_IVOR = 1u << 5, E_ARCH206_MMU = 1u << 6, E_DEBUG = 1u << 7, E_ED = 1u << 8,
                   E_PD = 1u << 11, E_PC = 1u << 12, E_PM = 1u << 14;
constexpr uint32_t E_UPDATE_MCSR = 1u << 0, E_UPDATE_TSR = 1u << 1, E_UPDATE_DEC = 1u << 2,
                   E_UPDATE_DBSR = 1u << 3;
constexpr uint32_t E_IMPL_FSL = 1;
} // namespace sregs

// The Book E view of kvm_sregs.u (u.e).
struct SregsBooke {
    union {
        struct {
            uint32_t features, svr;
            uint64_t mcar;
            uint32_t hid0, pid1, pid2;
        } fsl;
        uint8_t pad[256];
    } impl;
    uint32_t features, impl_id, update_special, pir;
    uint64_t sprg8, sprg9, csrr0, dsrr0, mcsrr0;
    uint32_t csrr1, dsrr1, mcsrr1, esr;
    uint64_t dear, ivpr, mcivpr, mcsr;
    uint32_t tsr, tcr, decar, dec;
    uint64_t tb;
    uint32_t dbsr, dbcr[3], iac[4], dac[2], dvc[2];
    uint8_t num_iac, num_dac, num_dvc, pad;
    uint32_t epr, vrsave, epcr;
    uint32_t mas0, mas1;
    uint64_t mas2, mas7_3;
    uint32_t mas4, mas6;
    uint32_t ivor_low[16];
    uint32_t ivor_high[18];
    uint32_t mmucfg, eptcfg, tlbcfg[4], tlbps[4];
    uint32_t eplc, epsc;
};

struct Sregs {
    uint32_t pvr;
    union {
        SregsBooke e;
        uint64_t raw[153]; // the Book S view is the largest member (1224 bytes)
    } u;
};

// ---- ONE_REG ----
constexpr uint64_t kRegSizeU32 = 0x0020000000000000ull;
constexpr uint64_t kRegSizeU64 = 0x0030000000000000ull;
constexpr uint64_t kRegPpc = 0x1000000000000000ull;
namespace reg {
constexpr uint64_t EPCR = kRegPpc | kRegSizeU32 | 0x85, EPR = kRegPpc | kRegSizeU32 | 0x86,
                   OR_TSR = kRegPpc | kRegSizeU32 | 0x87, CLEAR_TSR = kRegPpc | kRegSizeU32 | 0x88,
                   TCR = kRegPpc | kRegSizeU32 | 0x89, TSR = kRegPpc | kRegSizeU32 | 0x8a,
                   DEBUG_INST = kRegPpc | kRegSizeU32 | 0x8b;
} // namespace reg

struct OneReg {
    uint64_t id;
    uint64_t addr; // userspace address of the value (4 or 8 bytes)
};

// ---- device control, interrupts, paravirt info ----
constexpr uint32_t kDevTypeFslMpic20 = 1, kDevTypeFslMpic42 = 2;
constexpr uint32_t kDevMpicGrpMisc = 1, kDevMpicBaseAddr = 0;
constexpr uint64_t kMpicSize = 0x40000; // the in-kernel MPIC's register window

struct CreateDevice {
    uint32_t type;
    uint32_t fd; // out
    uint32_t flags;
};

struct DeviceAttr {
    uint32_t flags;
    uint32_t group;
    uint64_t attr;
    uint64_t addr; // userspace address of the value
};

struct IrqLevel {
    uint32_t irq;
    uint32_t level;
};

// KVM_SET_GSI_ROUTING: the table that maps KVM_IRQ_LINE numbers (GSIs) to
// in-kernel interrupt controller pins. A kvm_irq_routing header followed in
// memory by `nr` entries; powerpc has one irqchip (0) with 256 pins.
constexpr uint32_t kIrqRoutingIrqchip = 1;
constexpr uint32_t kIrqchipNumPins = 256;

struct IrqRoutingEntry {
    uint32_t gsi;
    uint32_t type;
    uint32_t flags;
    uint32_t pad;
    union {
        struct {
            uint32_t irqchip;
            uint32_t pin;
        } irqchip;
        uint32_t pad[8];
    } u;
};

struct IrqRouting {
    uint32_t nr;
    uint32_t flags;
    // IrqRoutingEntry entries[nr] follow
};

constexpr uint32_t kPvinfoFlagsEvIdle = 1;
struct PpcPvinfo {
    uint32_t flags;
    uint32_t hcall[4];
    uint8_t pad[108];
};

// ---- KVM_SET_GUEST_DEBUG (Book E: instruction/data address compares) ----
constexpr uint32_t kGuestDbgEnable = 0x1, kGuestDbgSingleStep = 0x2;
constexpr uint32_t kGuestDbgUseSwBp = 0x00010000, kGuestDbgUseHwBp = 0x00020000;
// bp[].type, and kvm_run.debug.status on KVM_EXIT_DEBUG (0: software breakpoint or step).
constexpr uint32_t kDebugBreakpoint = 1u << 1, kDebugWatchWrite = 1u << 2,
                   kDebugWatchRead = 1u << 3;
// e500: two IACs and two DACs; the kernel reads bp[0..3] only.
constexpr unsigned kBookeIacs = 2, kBookeDacs = 2;

struct GuestDebug {
    uint32_t control;
    uint32_t pad;
    struct {
        uint64_t addr;
        uint32_t type;
        uint32_t reserved;
    } bp[16];
};

// ---- the shared run structure (mmap of the vCPU fd) ----
struct Run {
    uint8_t request_interrupt_window;
    uint8_t immediate_exit;
    uint8_t padding1[6];
    uint32_t exit_reason;
    uint8_t ready_for_interrupt_injection;
    uint8_t if_flag;
    uint16_t flags;
    uint64_t cr8;
    uint64_t apic_base;
    union {
        struct {
            uint64_t hardware_exit_reason;
        } hw;
        struct {
            uint64_t address;
            uint32_t status;
            uint32_t reserved;
        } debug;
        struct {
            uint64_t phys_addr;
            uint8_t data[8];
            uint32_t len;
            uint8_t is_write;
        } mmio;
        struct {
            uint32_t dcrn;
            uint32_t data;
            uint8_t is_write;
        } dcr;
        struct {
            uint32_t suberror;
            uint32_t ndata;
            uint64_t data[16];
        } internal;
        struct {
            uint32_t epr;
        } epr;
        struct {
            uint32_t type;
            uint32_t ndata;
            uint64_t data[16];
        } system_event;
        uint8_t padding[256];
    };
    uint64_t kvm_valid_regs;
    uint64_t kvm_dirty_regs;
    union {
        uint8_t padding[2048];
    } s;
};

// ---- ioctls ----
// System (/dev/kvm)
constexpr uint32_t GET_API_VERSION = io(0x00), CREATE_VM = io(0x01), CHECK_EXTENSION = io(0x03),
                   GET_VCPU_MMAP_SIZE = io(0x04);
// VM
constexpr uint32_t CREATE_VCPU = io(0x41),
                   SET_USER_MEMORY_REGION = iow(0x46, sizeof(UserspaceMemoryRegion)),
                   IRQ_LINE = iow(0x61, sizeof(IrqLevel)),
                   SET_GSI_ROUTING = iow(0x6a, sizeof(IrqRouting)),
                   PPC_GET_PVINFO = iow(0xa1, sizeof(PpcPvinfo)),
                   CREATE_DEVICE = iowr(0xe0, sizeof(CreateDevice)),
                   ENABLE_CAP = iow(0xa3, sizeof(EnableCap));
// vCPU
constexpr uint32_t RUN = io(0x80), GET_REGS = ior(0x81, sizeof(Regs)),
                   SET_REGS = iow(0x82, sizeof(Regs)), GET_SREGS = ior(0x83, sizeof(Sregs)),
                   SET_SREGS = iow(0x84, sizeof(Sregs)), DIRTY_TLB = iow(0xaa, sizeof(DirtyTlb)),
                   GET_ONE_REG = iow(0xab, sizeof(OneReg)), SET_ONE_REG = iow(0xac, sizeof(OneReg)),
                   SET_GUEST_DEBUG = iow(0x9b, sizeof(GuestDebug));
// Device
constexpr uint32_t SET_DEVICE_ATTR = iow(0xe1, sizeof(DeviceAttr));

// ---- layout checks (values from powerpc-linux-gnu-gcc against the 6.1 headers) ----
static_assert(sizeof(Regs) == 392);
static_assert(sizeof(Sregs) == 1232 && offsetof(Sregs, u) == 8);
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, features) == 264);
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, pir) == 276);
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, csrr0) == 296);
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, tsr) == 368);
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, dec) == 380);
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, tb) == 384);
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, epr) == 444);
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, mas0) == 456);
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, ivor_low) == 488);
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, mmucfg) == 624);
static_assert(offsetof(Sregs, u) + offsetof(SregsBooke, eplc) == 664);
static_assert(sizeof(Run) == 2352);
static_assert(offsetof(Run, immediate_exit) == 1 && offsetof(Run, exit_reason) == 8);
static_assert(offsetof(Run, flags) == 14 && offsetof(Run, mmio) == 32);
static_assert(offsetof(Run, mmio.data) == 40 && offsetof(Run, mmio.len) == 48);
static_assert(offsetof(Run, mmio.is_write) == 52 && offsetof(Run, internal.ndata) == 36);
static_assert(offsetof(Run, epr.epr) == 32 && offsetof(Run, kvm_valid_regs) == 288);
static_assert(offsetof(Run, s) == 304);
static_assert(sizeof(UserspaceMemoryRegion) == 32 && sizeof(OneReg) == 16);
static_assert(sizeof(EnableCap) == 104 && sizeof(ConfigTlb) == 24 && sizeof(DirtyTlb) == 16);
static_assert(sizeof(CreateDevice) == 12 && sizeof(DeviceAttr) == 24 && sizeof(IrqLevel) == 8);
static_assert(sizeof(PpcPvinfo) == 128 && sizeof(Book3e206TlbParams) == 64);
static_assert(GET_API_VERSION == 536915456u && CREATE_VM == 536915457u);
static_assert(SET_USER_MEMORY_REGION == 2149625414u && RUN == 536915584u);
static_assert(GET_SREGS == 1154526851u && SET_SREGS == 2228268676u);
static_assert(ENABLE_CAP == 2154344099u && DIRTY_TLB == 2148576938u);
static_assert(CREATE_DEVICE == 3222056672u && SET_DEVICE_ATTR == 2149101281u);
static_assert(IRQ_LINE == 2148052577u && PPC_GET_PVINFO == 2155916961u);
static_assert(GET_ONE_REG == 2148576939u && SET_ONE_REG == 2148576940u);
static_assert(sizeof(GuestDebug) == 264 && offsetof(GuestDebug, bp) == 8);
static_assert(sizeof(IrqRouting) == 8 && sizeof(IrqRoutingEntry) == 48);
static_assert(offsetof(IrqRoutingEntry, u) == 16 && SET_GSI_ROUTING == 2148052586u);

} // namespace vmc::kvm::uapi
