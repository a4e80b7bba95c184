// mfspr/mtspr for the e500mc and e5500 SPR sets, mftb, and the performance monitor
// registers (mfpmr/mtpmr: the monitor is not modelled; PMRs read zero).
//
// Unknown SPR numbers behave as on the e500mc: a number with SPR[5] set
// (privileged) from user mode is a privileged-instruction program interrupt,
// any other unknown number is an illegal-instruction program interrupt.
#include "engine/emu/exec_util.hpp"

namespace vmc::emu {

namespace {

constexpr unsigned kL1csr2 = 606, kMas5 = 339, kAtbl = 526, kAtbu = 527;
constexpr uint32_t kXerMask = 0xe000007f;
// Cache control bits that the hardware clears when the operation completes.
constexpr uint32_t kL1csrSelfClearing =
    0x00000002 /*CFI*/ | 0x00000100 /*CLFC*/ | 0x00000400 /*CUL*/;
constexpr uint32_t kL2csrSelfClearing =
    0x00200000 /*L2FI*/ | 0x00000800 /*L2FL*/ | 0x00000400 /*L2LFC*/;
constexpr uint32_t kBucsrSelfClearing = 0x00000200; // BBFI

bool privileged_spr(unsigned n) {
    return n & 0x10;
}

uint32_t l1cfg(uint32_t size, uint32_t line) {
    // CBSIZE (bits 7:8: 0 = 32 B, 1 = 64 B), CNWAY (13:20) = 8 ways, CSIZE (21:31) in KiB.
    return ((line == 64 ? 1u : 0u) << 23) | (7u << 11) | ((size / 1024) & 0x7ff);
}

bool read_spr(Core& c, unsigned n, uint64_t& v) {
    auto& s = c.s;
    if (n >= spr::IVOR0 && n <= spr::IVOR15) return v = s.ivor[n - spr::IVOR0], true;
    if (n >= spr::IVOR32 && n <= spr::IVOR37) return v = s.ivor[32 + n - spr::IVOR32], true;
    if (n >= spr::IVOR38 && n <= spr::IVOR41) return v = s.ivor[38 + n - spr::IVOR38], true;
    if (n >= spr::SPRG0 && n <= spr::SPRG7) return v = s.sprg[n - spr::SPRG0], true;
    if (n >= spr::USPRG3 && n <= spr::SPRG7R) return v = s.sprg[3 + n - spr::USPRG3], true;
    const auto& cpu = c.shared.vm.machine.cpu;
    switch (n) {
    case spr::XER:
        v = c.xer;
        return true;
    case spr::LR:
        v = c.lr;
        return true;
    case spr::CTR:
        v = c.ctr;
        return true;
    case spr::DEC:
        c.update_timers();
        v = c.dec();
        return true;
    case spr::SRR0:
        v = s.srr0;
        return true;
    case spr::SRR1:
        v = s.srr1;
        return true;
    case spr::PID:
        v = s.pid;
        return true;
    case spr::DECAR:
        v = s.decar;
        return true;
    case spr::CSRR0:
        v = s.csrr0;
        return true;
    case spr::CSRR1:
        v = s.csrr1;
        return true;
    case spr::DEAR:
        v = s.dear;
        return true;
    case spr::ESR:
        v = s.esr;
        return true;
    case spr::IVPR:
        v = s.ivpr;
        return true;
    case spr::USPRG0:
        v = s.usprg0;
        return true;
    case spr::TBL_R:
    case kAtbl:
        // A 64-bit core reads the whole time base through TBL.
        v = c.is64 ? c.timebase() : static_cast<uint32_t>(c.timebase());
        return true;
    case spr::TBU_R:
    case kAtbu:
        v = static_cast<uint32_t>(c.timebase() >> 32);
        return true;
    case spr::PIR:
        v = s.pir;
        return true;
    case spr::PVR:
        v = s.pvr;
        return true;
    case spr::DBSR:
        v = s.dbsr;
        return true;
    case spr::EPCR:
        v = s.epcr;
        return true;
    case spr::DBCR0:
        v = s.dbcr0;
        return true;
    case spr::DBCR1:
        v = s.dbcr1;
        return true;
    case spr::DBCR2:
        v = s.dbcr2;
        return true;
    case spr::MSRP:
        v = s.msrp;
        return true;
    case spr::IAC1:
    case spr::IAC2:
        v = s.iac[n - spr::IAC1];
        return true;
    case spr::DAC1:
    case spr::DAC2:
        v = s.dac[n - spr::DAC1];
        return true;
    case spr::DVC1:
    case spr::DVC2:
        v = s.dvc[n - spr::DVC1];
        return true;
    case spr::TSR:
        c.update_timers();
        v = s.tsr;
        return true;
    case spr::LPIDR:
        v = s.lpidr;
        return true;
    case spr::TCR:
        v = s.tcr;
        return true;
    case spr::MAS8:
        v = s.mas8;
        return true;
    case spr::L1CFG0:
        v = l1cfg(cpu.d_cache_size, cpu.d_cache_line_size);
        return true;
    case spr::L1CFG1:
        v = l1cfg(cpu.i_cache_size, cpu.i_cache_line_size);
        return true;
    case spr::MCARU:
        v = 0;
        return true;
    case spr::MCSRR0:
        v = s.mcsrr0;
        return true;
    case spr::MCSRR1:
        v = s.mcsrr1;
        return true;
    case spr::MCSR:
        v = s.mcsr;
        return true;
    case spr::MCAR:
        v = s.mcar;
        return true;
    case spr::DSRR0:
        v = s.dsrr0;
        return true;
    case spr::DSRR1:
        v = s.dsrr1;
        return true;
    case spr::SPRG8:
        v = s.sprg[8];
        return true;
    case spr::SPRG9:
        v = s.sprg[9];
        return true;
    case spr::MAS0:
        v = c.mas.mas0;
        return true;
    case spr::MAS1:
        v = c.mas.mas1;
        return true;
    case spr::MAS2:
        v = c.mas.mas2;
        return true;
    case spr::MAS3:
        v = c.mas.mas3;
        return true;
    case spr::MAS4:
        v = c.mas.mas4;
        return true;
    case spr::MAS6:
        v = c.mas.mas6;
        return true;
    case spr::MAS7:
        v = c.mas.mas7;
        return true;
    case kMas5:
        v = 0;
        return true;
    case spr::MAS7_3:
        if (!c.is64) return false;
        v = (static_cast<uint64_t>(c.mas.mas7) << 32) | c.mas.mas3;
        return true;
    case spr::MAS0_1:
        if (!c.is64) return false;
        v = (static_cast<uint64_t>(c.mas.mas0) << 32) | c.mas.mas1;
        return true;
    case spr::TLB0CFG:
        v = c.mmu.tlb0cfg();
        return true;
    case spr::TLB1CFG:
        v = c.mmu.tlb1cfg();
        return true;
    case spr::EPR:
        v = s.epr;
        return true;
    case spr::EPLC:
        v = s.eplc;
        return true;
    case spr::EPSC:
        v = s.epsc;
        return true;
    case spr::HID0:
        v = s.hid0;
        return true;
    case spr::HID1:
        v = s.hid1;
        return true;
    case spr::L1CSR0:
        v = s.l1csr0;
        return true;
    case spr::L1CSR1:
        v = s.l1csr1;
        return true;
    case kL1csr2:
        v = 0;
        return true;
    case spr::MMUCSR0:
        v = 0;
        return true;
    case spr::BUCSR:
        v = s.bucsr;
        return true;
    case spr::MMUCFG:
        v = c.mmu.mmucfg();
        return true;
    case spr::L2CSR0:
        v = s.l2csr0;
        return true;
    case spr::L2CSR1:
        v = s.l2csr1;
        return true;
    case spr::SVR:
        v = s.svr;
        return true;
    default:
        return false;
    }
}

bool write_spr(Core& c, unsigned n, uint64_t v) {
    auto& s = c.s;
    if (n >= spr::IVOR0 && n <= spr::IVOR15) return s.ivor[n - spr::IVOR0] = v & 0xfff0, true;
    if (n >= spr::IVOR32 && n <= spr::IVOR37)
        return s.ivor[32 + n - spr::IVOR32] = v & 0xfff0, true;
    if (n >= spr::IVOR38 && n <= spr::IVOR41)
        return s.ivor[38 + n - spr::IVOR38] = v & 0xfff0, true;
    if (n >= spr::SPRG0 && n <= spr::SPRG7) return s.sprg[n - spr::SPRG0] = v, true;
    switch (n) {
    case spr::XER:
        c.xer = v & kXerMask;
        return true;
    case spr::LR:
        c.lr = v;
        return true;
    case spr::CTR:
        c.ctr = v;
        return true;
    case spr::DEC:
        c.set_dec(v);
        return true;
    case spr::SRR0:
        s.srr0 = v;
        return true;
    case spr::SRR1:
        s.srr1 = v;
        return true;
    case spr::PID:
        c.set_pid(v);
        return true;
    case spr::DECAR:
        s.decar = v;
        return true;
    case spr::CSRR0:
        s.csrr0 = v;
        return true;
    case spr::CSRR1:
        s.csrr1 = v;
        return true;
    case spr::DEAR:
        s.dear = v;
        return true;
    case spr::ESR:
        s.esr = v;
        return true;
    case spr::IVPR:
        s.ivpr = v & ~uint64_t{0xffff};
        return true;
    case spr::USPRG0:
        s.usprg0 = v;
        return true;
    case spr::TBL_W:
        c.set_timebase((c.timebase() & ~0xffffffffull) | static_cast<uint32_t>(v));
        return true;
    case spr::TBU_W:
        c.set_timebase((v << 32) | (c.timebase() & 0xffffffffull));
        return true;
    case spr::PIR:
    case spr::PVR:
    case spr::SVR:
    case spr::EPR:
    case spr::MMUCFG:
    case spr::TLB0CFG:
    case spr::TLB1CFG:
    case spr::L1CFG0:
    case spr::L1CFG1:
        return true; // read-only: writes are ignored
    case spr::DBSR:
        s.dbsr &= ~v;
        return true;
    case spr::DBSRWR:
        s.dbsr = v;
        return true;
    case spr::EPCR:
        s.epcr = v;
        return true;
    case spr::DBCR0:
        s.dbcr0 = v;
        return true;
    case spr::DBCR1:
        s.dbcr1 = v;
        return true;
    case spr::DBCR2:
        s.dbcr2 = v;
        return true;
    case spr::MSRP:
        s.msrp = v;
        return true;
    case spr::IAC1:
    case spr::IAC2:
        s.iac[n - spr::IAC1] = v;
        return true;
    case spr::DAC1:
    case spr::DAC2:
        s.dac[n - spr::DAC1] = v;
        return true;
    case spr::DVC1:
    case spr::DVC2:
        s.dvc[n - spr::DVC1] = v;
        return true;
    case spr::TSR:
        c.write_tsr_clear(v);
        return true;
    case spr::LPIDR:
        s.lpidr = v;
        return true;
    case spr::TCR:
        c.write_tcr(v);
        return true;
    case spr::MAS8:
        s.mas8 = v;
        return true;
    case spr::MCARU:
        return true;
    case spr::MCSRR0:
        s.mcsrr0 = v;
        return true;
    case spr::MCSRR1:
        s.mcsrr1 = v;
        return true;
    case spr::MCSR:
        s.mcsr &= ~v;
        return true; // write one to clear
    case spr::MCAR:
        return true;
    case spr::DSRR0:
        s.dsrr0 = v;
        return true;
    case spr::DSRR1:
        s.dsrr1 = v;
        return true;
    case spr::SPRG8:
        s.sprg[8] = v;
        return true;
    case spr::SPRG9:
        s.sprg[9] = v;
        return true;
    case spr::MAS0:
        c.mas.mas0 = v;
        return true;
    case spr::MAS1:
        c.mas.mas1 = v;
        return true;
    case spr::MAS2:
        c.mas.mas2 = v;
        return true;
    case spr::MAS3:
        c.mas.mas3 = v;
        return true;
    case spr::MAS4:
        c.mas.mas4 = v;
        return true;
    case spr::MAS6:
        c.mas.mas6 = v;
        return true;
    case spr::MAS7:
        c.mas.mas7 = v;
        return true;
    case kMas5:
        return true;
    case spr::MAS7_3:
        if (!c.is64) return false;
        c.mas.mas7 = static_cast<uint32_t>(v >> 32);
        c.mas.mas3 = static_cast<uint32_t>(v);
        return true;
    case spr::MAS0_1:
        if (!c.is64) return false;
        c.mas.mas0 = static_cast<uint32_t>(v >> 32);
        c.mas.mas1 = static_cast<uint32_t>(v);
        return true;
    case spr::EPLC:
        s.eplc = v;
        return true;
    case spr::EPSC:
        s.epsc = v;
        return true;
    case spr::HID0:
        s.hid0 = v;
        return true;
    case spr::HID1:
        s.hid1 = v;
        return true;
    case spr::L1CSR0:
        s.l1csr0 = v & ~kL1csrSelfClearing;
        return true;
    case spr::L1CSR1:
        s.l1csr1 = v & ~kL1csrSelfClearing;
        return true;
    case kL1csr2:
        return true;
    case spr::MMUCSR0:
        // Flash invalidate: bit 0x4 TLB0, bit 0x2 TLB1 (entries with IPROT survive).
        if (v & 0x4) c.mmu.tlbivax(0x4);
        if (v & 0x2) c.mmu.tlbivax(0x4 | 0x8);
        c.end_block();
        return true;
    case spr::BUCSR:
        s.bucsr = v & ~kBucsrSelfClearing;
        return true;
    case spr::L2CSR0:
        s.l2csr0 = v & ~kL2csrSelfClearing;
        return true;
    case spr::L2CSR1:
        s.l2csr1 = v;
        return true;
    default:
        return false;
    }
}

void unknown_spr(Core& c, Insn i, unsigned n) {
    if (c.user() && privileged_spr(n)) return c.privileged();
    c.illegal(i);
}

} // namespace

VMC_HANDLER(mfspr) {
    unsigned n = i.spr();
    if (c.user() && privileged_spr(n)) return c.privileged();
    uint64_t v;
    if (!read_spr(c, n, v)) return unknown_spr(c, i, n);
    c.set_gpr(i.rt(), v);
}

VMC_HANDLER(mtspr) {
    unsigned n = i.spr();
    if (c.user() && privileged_spr(n)) return c.privileged();
    // From user mode only XER, LR, CTR and USPRG0 are writable.
    if (c.user() && n != spr::XER && n != spr::LR && n != spr::CTR && n != spr::USPRG0)
        return unknown_spr(c, i, n);
    if (!write_spr(c, n, c.gpr[i.rs()])) return unknown_spr(c, i, n);
}

VMC_HANDLER(mftb) {
    unsigned n = i.spr();
    if (n == spr::TBL_R)
        c.set_gpr(i.rt(), c.is64 ? c.timebase() : static_cast<uint32_t>(c.timebase()));
    else if (n == spr::TBU_R)
        c.set_gpr(i.rt(), c.timebase() >> 32);
    else
        c.illegal(i);
}

VMC_HANDLER(mfpmr) {
    if (c.user() && (i.spr() & 0x10)) return c.privileged();
    c.gpr[i.rt()] = 0;
}
VMC_HANDLER(mtpmr) {
    VMC_PRIVILEGED();
}

} // namespace vmc::emu
