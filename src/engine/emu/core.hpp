// One Book III-E vCPU (an e500mc, or the 64-bit e5500): architected state,
// the soft TLBs, the dispatch loop, memory access and interrupt delivery. Instruction handlers
// (exec_*.cpp) operate on it through the inline accessors below.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "engine/emu/byteswap.hpp"
#include "engine/emu/code_cache.hpp"
#include "engine/emu/core_stats.hpp"
#include "engine/emu/debug_hooks.hpp"
#include "engine/emu/emu_engine.hpp"
#include "engine/emu/fpu/fpu.hpp"
#include "engine/emu/insn.hpp"
#include "engine/emu/jit/jit.hpp"
#include "engine/emu/mmu.hpp"
#include "engine/emu/regs.hpp"
#include "vmm/vm.hpp"

namespace vmc::emu {

class Core;

// What runs beneath the guest when the cores stand in for a hypervisor's
// guest (the tests' stand-in KVM kernel). Null in Shared: there is none.
class Hypervisor {
public:
    virtual ~Hypervisor() = default;
    // `sc 1` (the ePAPR hypercall): the hypervisor takes it instead of the
    // guest's system call vector; the core continues at pc + 4.
    virtual void hypercall(Core& core) = 0;
    // An illegal instruction: true when the hypervisor took it (the core
    // does not raise the program interrupt).
    virtual bool illegal_instruction(Core& core, uint32_t raw) = 0;
};

// What every vCPU of one machine shares: the VM graph, decoded code, the peers
// (tlbivax broadcast, doorbells) and the set of opcodes already reported.
struct Shared {
    vmm::Vm& vm;
    EmuOptions options;
    CodeCache code;
    jit::Jit jit;
    std::vector<Core*> cores;
    std::vector<uint32_t> reported_opcodes;
    FILE* trace = nullptr;            // --trace exec: open while tracing
    uint64_t trace_bytes = 0;         // written so far, against options.trace_limit_bytes
    Hypervisor* hypervisor = nullptr; // beneath the guest, or null
    Shared(vmm::Vm& v, const EmuOptions& o)
        : vm(v), options(o), code(v.ram), jit(o.jit, o.jit_arena_bytes) {}
};

// Special-purpose registers kept as plain fields (the ones with side effects
// - DEC, TB, TSR, PID, MAS - are handled by mfspr/mtspr).
// The address-sized ones (save/restore registers, DEAR, IVPR, SPRGs) are 64
// bits wide; on a 32-bit core their upper halves stay zero.
struct Sprs {
    uint64_t srr0 = 0, csrr0 = 0, mcsrr0 = 0, dsrr0 = 0;
    uint32_t srr1 = 0, csrr1 = 0, mcsrr1 = 0, dsrr1 = 0;
    uint64_t dear = 0, mcar = 0, ivpr = 0;
    uint32_t esr = 0, mcsr = 0, pid = 0;
    std::array<uint32_t, 42> ivor{};
    std::array<uint64_t, 10> sprg{};
    uint64_t usprg0 = 0;
    uint32_t pir = 0, pvr = 0, svr = 0;
    uint32_t hid0 = 0, hid1 = 0, l1csr0 = 0, l1csr1 = 0, l2csr0 = 0, l2csr1 = 0, bucsr = 0;
    uint32_t dbcr0 = 0, dbcr1 = 0, dbcr2 = 0, dbsr = 0;
    std::array<uint64_t, 2> iac{}, dac{}, dvc{};
    uint32_t tcr = 0, tsr = 0, decar = 0, epr = 0, epcr = 0, mas8 = 0, lpidr = 0, msrp = 0;
    uint32_t pwrmgtcr0 = 0, eplc = 0, epsc = 0;
};

// Which save/restore pair an interrupt uses and which MSR bits survive entry.
enum class IntClass { Base, Critical, MachineCheck, Debug };

class Core {
public:
    Core(unsigned index, Shared& shared);

    // ---- architected state ----
    // GPRs, LR and CTR are 64 bits wide. On a 32-bit core every write keeps
    // them zero-extended (set_gpr, gpr_mask), so their values are exactly the
    // e500mc's 32-bit registers.
    std::array<uint64_t, 32> gpr{};
    uint32_t cr = 0, xer = 0;
    uint64_t lr = 0, ctr = 0;
    uint64_t pc = 0; // address of the instruction being executed
    uint32_t msr = 0;
    // The core model: a 64-bit core (e5500) has MSR[CM], EPCR[ICM] and the
    // 64-bit instructions; on a 32-bit one they are illegal.
    const bool is64;
    const uint64_t gpr_mask; // ~0 on a 64-bit core, 0xffffffff on a 32-bit one
    // Effective addresses are 64 bits in 64-bit computation mode (MSR[CM]=1)
    // and wrap at 32 bits otherwise: 0xffffffff unless CM is set.
    uint64_t ea_mask = 0xffffffffu;
    fpu::FpState fp;
    Sprs s;
    MasRegisters mas;
    Mmu mmu;

    // ---- run state ----
    unsigned index;
    bool running = false;   // released (false: held in the spin table)
    bool waiting = false;   // `wait` or MSR[WE]: asleep until an interrupt
    bool checkstop = false; // machine check with MSR[ME]=0: the VM stops
    std::string checkstop_reason;
    uint64_t instructions = 0;
    CoreStats stats;
    DebugHooks* debug = nullptr; // set while a debugger is attached

    // Architected reset. The timebase starts at 0 unless `keep_timebase`:
    // a core released from the spin table keeps the count it has had since
    // power-on.
    void reset(const vmm::CpuBootState& boot, bool keep_timebase = false);
    // Takes `other`'s timebase. The SoC's time base ticks for every core
    // alike, and Linux needs the cores' timebases equal: a core behind
    // another makes its clock go backwards (time then jumps by years).
    void share_timebase(const Core& other);
    // Runs up to `budget` instructions (fewer on wait or stop). Returns the count.
    uint64_t run(uint64_t budget);
    // Guest time of this core's next timer event (DEC, FIT, watchdog), or TimerQueue::kNever.
    uint64_t next_timer_ns() const;
    // Samples the timebase: sets TSR bits whose time has come.
    void update_timers();
    // True when an interrupt that would wake this core from `wait` is pending.
    bool has_enabled_interrupt() const;

    // ---- used by instruction handlers ----
    Shared& shared;
    bool flow = false; // execution does not continue at pc + 4
    bool sync = false; // the run loop must look at interrupts, caches and stop requests
    // Set while a debugger is attached: every taken branch ends the block, so
    // the breakpoint check at block start sees each branch target.
    bool branch_ends_block = false;
    uint64_t npc = 0; // where execution continues when `flow` is set
    // Set by translated code leaving through a link site that is not linked
    // yet: the site's address, for the dispatch loop to link (jit/).
    uint64_t jit_exit_site = 0;

    // A plain branch: the dispatch loop follows it without leaving the block.
    void branch(uint64_t target) {
        flow = true;
        npc = target & ea_mask;
    }
    bool cm() const { return msr & msr::CM; }
    void set_gpr(unsigned r, uint64_t value) { gpr[r] = value & gpr_mask; }
    // End the block after this instruction: state the run loop caches or
    // checks (MSR, PID, TLB, timers, devices, interrupts) may have changed.
    void end_block() {
        sync = true;
        if (!flow) branch(pc + 4);
    }
    void set_msr(uint32_t value);
    uint32_t implemented_msr() const;
    void set_pid(uint32_t value);

    // Program interrupts. Return nothing: the handler returns right after.
    void program(uint32_t esr_bits);
    void illegal(Insn insn);
    void privileged() { program(esr::PPR); }
    bool user() const { return msr & msr::PR; }
    void interrupt(Ivor ivor, IntClass cls, uint64_t srr0);
    void alignment(uint64_t ea, bool store);

    // Memory: false means an interrupt was raised and the handler must stop.
    template <typename T> bool load(uint64_t ea, T& out) {
        if (load_fast(ea, out)) [[likely]]
            return true;
        uint64_t v = 0;
        if (!load_slow(ea, sizeof(T), v)) return false;
        out = static_cast<T>(v);
        return true;
    }
    template <typename T> bool store(uint64_t ea, T value) {
        if (store_fast(ea, value)) [[likely]]
            return true;
        return store_slow(ea, sizeof(T), value);
    }
    // The soft-TLB hit alone: false means "not done", not a fault; the caller
    // then goes through load()/store(). Lets a handler keep its slow path in a
    // separate function, so the fast one needs no stack frame.
    template <typename T> bool load_fast(uint64_t ea, T& out) {
        const TlbSlot& e = rtlb_[(ea >> kPageShift) % kTlbSlots];
        if (e.tag != tag(ea, dctx_) || (ea & (kPageSize - 1)) > kPageSize - sizeof(T)) return false;
        ++stats.data_fast;
        T v;
        std::memcpy(&v, e.host + (ea & (kPageSize - 1)), sizeof(T));
        out = from_be(v);
        return true;
    }
    template <typename T> bool store_fast(uint64_t ea, T value) {
        const TlbSlot& e = wtlb_[(ea >> kPageShift) % kTlbSlots];
        if (e.tag != tag(ea, dctx_) || (ea & (kPageSize - 1)) > kPageSize - sizeof(T)) return false;
        ++stats.data_fast;
        T v = from_be(value);
        std::memcpy(e.host + (ea & (kPageSize - 1)), &v, sizeof(T));
        return true;
    }
    // Translation only (dcbz, dcbf, dcbi, icbi...): raises the data TLB error /
    // storage interrupt a real access would. `pa` gets the physical address.
    bool probe(uint64_t ea, Access access, uint64_t& pa);

    // lwarx/stwcx. (and the byte/halfword forms): the reservation holds the
    // address and the value loaded; the store-conditional succeeds when the
    // reservation stands and memory still holds that value, which also makes
    // any other vCPU's or device's intervening store to it clear the reservation.
    bool reserved = false;
    uint64_t reserve_ea = 0;
    uint32_t reserve_size = 0;
    uint64_t reserve_value = 0;

    // Timebase.
    uint64_t timebase() const;
    // A write of the time base (mtspr TBL/TBU, a debugger). DEC keeps
    // counting down from where it was; a 0->1 change of the FIT or
    // watchdog bit the write makes is a FIT or watchdog event.
    void set_timebase(uint64_t value);
    uint32_t dec() const;
    void set_dec(uint32_t value);
    void write_tsr_clear(uint32_t bits) { s.tsr &= ~bits; }
    void write_tcr(uint32_t value);

    // Doorbells (msgsnd/msgclr).
    bool doorbell = false, doorbell_critical = false;

    void invalidate_soft_tlb();
    void write_trace_line(uint32_t raw);

private:
    // Translated code reads the soft TLB and the data context in place.
    friend struct jit::CoreLayout;
    static constexpr unsigned kTlbSlots = 256;
    static constexpr unsigned kFetchSlots = 64;
    // A soft-TLB tag is the page's effective address with the context
    // (PID, AS, PR) in its low 12 bits. Contexts of PIDs from 1023 up do not
    // fit: they use kNoContext, which nothing is filled with, so their
    // accesses always take the slow path. No lookup can produce kEmptyTag
    // (its low bits are neither a context nor kNoContext).
    static constexpr uint64_t kNoContext = 0xfff;
    static constexpr uint64_t kEmptyTag = ~uint64_t{1};
    struct TlbSlot {
        uint64_t tag = kEmptyTag;
        uint8_t* host = nullptr;
    };
    struct FetchSlot {
        uint64_t tag = kEmptyTag;
        DecodedPage* page = nullptr;
    };
    static uint64_t tag(uint64_t ea, uint64_t ctx) {
        return (ea & ~static_cast<uint64_t>(kPageSize - 1)) | ctx;
    }

    bool load_slow(uint64_t ea, unsigned size, uint64_t& value);
    bool store_slow(uint64_t ea, unsigned size, uint64_t value);
    // One translation for a data access, raising the interrupt on a fault.
    bool translate_data(uint64_t ea, Access access, Translation& t);
    bool access_phys(uint64_t pa, unsigned size, uint64_t& value, bool write, uint64_t ea);
    void machine_check(uint64_t ea, uint64_t pa, uint32_t kind);
    DecodedPage* fetch_page(uint64_t ea);
    bool take_interrupt();
    void check_caches();
    template <bool Watched> uint64_t run_block(uint64_t budget);

    void recompute_contexts();
    uint64_t dctx_ = 0, ictx_ = 0; // (PID, AS, PR) of data accesses / fetches
    std::array<TlbSlot, kTlbSlots> rtlb_{}, wtlb_{};
    std::array<FetchSlot, kFetchSlots> itlb_{};
    uint64_t seen_mmu_generation_ = 0, seen_code_generation_ = 0, seen_code_epoch_ = 0;

    // Timer state: TB = ticks(now) + tb_offset_; DEC reaches zero at tick
    // dec_zero_tick_. DEC counts ticks, not time-base values, so a time-base
    // write does not move it. ticks(ns) = ns * tb_num_ / tb_den_ (timebase
    // frequency / 1 GHz in lowest terms).
    void set_tb_ratio(uint64_t freq);
    void reset_timers(bool keep_timebase);
    uint64_t ticks() const;
    uint64_t tb_num_ = 1, tb_den_ = 1;
    int64_t tb_offset_ = 0;
    bool dec_running_ = false;
    uint64_t dec_zero_tick_ = 0;
    uint32_t dec_stopped_value_ = 0;
    uint64_t next_fit_tb_ = 0, next_wd_tb_ = 0;
    void schedule_fit_wd(uint64_t now_tb);
    void fit_event();
    void watchdog_timeout();
    uint64_t tick_to_ns(uint64_t tick) const;
};

// Each exec_*.cpp registers its handlers through these declarations; the
// instruction list (decode_table.cpp) names them.
#define VMC_HANDLER(name) void name([[maybe_unused]] Core& c, [[maybe_unused]] Insn i)

} // namespace vmc::emu
