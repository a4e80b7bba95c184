#include "engine/emu/core.hpp"

#include "arch/booke/core_models.hpp"
#include "engine/emu/decode.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace vmc::emu {

Core::Core(unsigned idx, Shared& sh)
    : is64(arch::booke::core_model_or_default(sh.vm.machine.cpu.name).is64),
      gpr_mask(is64 ? ~uint64_t{0} : 0xffffffffu), mmu(sh.vm.machine.cpu), index(idx), shared(sh) {
    set_tb_ratio(sh.vm.machine.cpu.timebase_frequency);
}

void Core::reset(const vmm::CpuBootState& boot, bool keep_timebase) {
    for (unsigned r = 0; r < 32; ++r)
        set_gpr(r, boot.gpr[r]);
    cr = xer = 0;
    lr = ctr = 0;
    msr = boot.msr & implemented_msr();
    ea_mask = cm() ? ~uint64_t{0} : 0xffffffffu;
    pc = boot.pc & ea_mask;
    fp = {};
    s = {};
    mas = {};
    s.pir = boot.pir;
    s.pvr = shared.vm.machine.cpu.pvr;
    s.svr = shared.vm.machine.cpu.svr;
    mmu.reset();
    for (const auto& e : boot.tlb1)
        mmu.set_tlb1(e.index, e.entry);
    running = boot.running;
    waiting = false;
    checkstop = false;
    reserved = false;
    doorbell = doorbell_critical = false;
    flow = false;
    reset_timers(keep_timebase);
    recompute_contexts();
    invalidate_soft_tlb();
}

void Core::recompute_contexts() {
    if (s.pid >= 1023) { // does not fit a tag's low 12 bits (Core::tag)
        dctx_ = ictx_ = kNoContext;
        return;
    }
    uint64_t base = (static_cast<uint64_t>(s.pid) << 2) | ((msr & msr::PR) ? 1 : 0);
    dctx_ = base | ((msr & msr::DS) ? 2 : 0);
    ictx_ = base | ((msr & msr::IS) ? 2 : 0);
}

void Core::invalidate_soft_tlb() {
    rtlb_.fill(TlbSlot{});
    wtlb_.fill(TlbSlot{});
    itlb_.fill(FetchSlot{});
    seen_mmu_generation_ = mmu.generation();
    seen_code_generation_ = shared.code.generation();
    seen_code_epoch_ = shared.code.code_epoch();
}

void Core::check_caches() {
    if (mmu.generation() != seen_mmu_generation_) invalidate_soft_tlb();
    if (shared.code.generation() != seen_code_generation_) {
        itlb_.fill(FetchSlot{});
        seen_code_generation_ = shared.code.generation();
    }
    if (shared.code.code_epoch() != seen_code_epoch_) {
        wtlb_.fill(TlbSlot{});
        seen_code_epoch_ = shared.code.code_epoch();
    }
}

uint32_t Core::implemented_msr() const {
    return is64 ? msr::kImplemented64 : msr::kImplemented32;
}

void Core::set_msr(uint32_t value) {
    value &= implemented_msr();
    uint32_t changed = msr ^ value;
    msr = value;
    ea_mask = cm() ? ~uint64_t{0} : 0xffffffffu;
    if (changed & (msr::IS | msr::DS | msr::PR)) recompute_contexts();
    if (value & msr::WE) waiting = true;
    end_block();
}

void Core::set_pid(uint32_t value) {
    s.pid = value & 0x3fff;
    recompute_contexts();
    end_block();
}

// ---------------------------------------------------------------- interrupts

void Core::interrupt(Ivor ivor, IntClass cls, uint64_t srr0) {
    // Taking an interrupt loses the reservation (as QEMU's e500mc does; the
    // architecture leaves it to the implementation).
    reserved = false;
    uint32_t keep = 0;
    switch (cls) {
    case IntClass::Base:
        s.srr0 = srr0;
        s.srr1 = msr;
        keep = msr::CE | msr::ME | msr::DE;
        break;
    case IntClass::Critical:
        s.csrr0 = srr0;
        s.csrr1 = msr;
        keep = msr::ME;
        break;
    case IntClass::MachineCheck:
        s.mcsrr0 = srr0;
        s.mcsrr1 = msr;
        keep = 0;
        break;
    case IntClass::Debug:
        s.dsrr0 = srr0;
        s.dsrr1 = msr;
        keep = msr::ME;
        break;
    }
    ++stats.interrupts[static_cast<unsigned>(ivor) % stats.interrupts.size()];
    waiting = false;
    sync = true;
    // A 64-bit core enters the handler in the computation mode EPCR[ICM] names.
    set_msr((msr & keep) | (is64 && (s.epcr & epcr::ICM) ? msr::CM : 0));
    branch((s.ivpr & ~uint64_t{0xffff}) | (s.ivor[static_cast<unsigned>(ivor)] & 0xfff0));
}

void Core::program(uint32_t esr_bits) {
    s.esr = esr_bits;
    interrupt(Ivor::Program, IntClass::Base, pc);
}

void Core::illegal(Insn insn) {
    if (shared.hypervisor && shared.hypervisor->illegal_instruction(*this, insn.raw)) [[unlikely]]
        return;
    // Report each unimplemented opcode once: a guest probing for features must not flood stderr.
    uint32_t key = decode_key(insn.raw);
    auto& seen = shared.reported_opcodes;
    if (std::find(seen.begin(), seen.end(), key) == seen.end()) {
        seen.push_back(key);
        fmt::print(stderr, "emu: cpu{}: illegal instruction 0x{:08x} (opcode {}/{}) at 0x{:08x}\n",
                   index, insn.raw, insn.opcd(), insn.xo(), pc);
    }
    program(esr::PIL);
}

void Core::alignment(uint64_t ea, bool store) {
    s.dear = ea;
    s.esr = store ? esr::ST : 0;
    interrupt(Ivor::Alignment, IntClass::Base, pc);
}

void Core::machine_check(uint64_t ea, uint64_t pa, uint32_t kind) {
    if (!(msr & msr::ME)) {
        // Checkstop: the core stops; the engine ends the run with a register dump.
        checkstop = true;
        checkstop_reason = fmt::format("cpu{}: checkstop: machine check with MSR[ME]=0 at pc "
                                       "0x{:08x} (ea 0x{:08x}, pa 0x{:09x})",
                                       index, pc, ea, pa);
        branch(pc);
        sync = true;
        return;
    }
    s.mcsr |= kind | mcsr::MAV | mcsr::MEA;
    s.mcar = ea;
    interrupt(Ivor::MachineCheck, IntClass::MachineCheck, pc);
}

bool Core::has_enabled_interrupt() const {
    const auto& in = *shared.vm.cpu_inputs[index];
    if ((msr & msr::ME) && in.machine_check.load(std::memory_order_relaxed)) return true;
    if (msr & msr::CE) {
        if (in.critical.load(std::memory_order_relaxed)) return true;
        if ((s.tsr & tsr::WIS) && (s.tcr & tcr::WIE)) return true;
        if (doorbell_critical) return true;
    }
    if (msr & msr::EE) {
        if (in.external.load(std::memory_order_relaxed)) return true;
        if ((s.tsr & tsr::FIS) && (s.tcr & tcr::FIE)) return true;
        if ((s.tsr & tsr::DIS) && (s.tcr & tcr::DIE)) return true;
        if (doorbell) return true;
    }
    return false;
}

// Asynchronous interrupts in Book E priority order; taken at a block boundary,
// so SRR0 is the next instruction to execute.
bool Core::take_interrupt() {
    auto& in = *shared.vm.cpu_inputs[index];
    if ((msr & msr::ME) && in.machine_check.exchange(false)) {
        s.mcsr |= mcsr::MCP;
        interrupt(Ivor::MachineCheck, IntClass::MachineCheck, pc);
    } else if ((msr & msr::CE) && in.critical.load(std::memory_order_relaxed)) {
        interrupt(Ivor::CriticalInput, IntClass::Critical, pc);
    } else if ((msr & msr::CE) && (s.tsr & tsr::WIS) && (s.tcr & tcr::WIE)) {
        interrupt(Ivor::Watchdog, IntClass::Critical, pc);
    } else if ((msr & msr::CE) && doorbell_critical) {
        doorbell_critical = false;
        interrupt(Ivor::DoorbellCritical, IntClass::Critical, pc);
    } else if ((msr & msr::EE) && in.external.load(std::memory_order_relaxed)) {
        // Core-interrupt mode: the acknowledge cycle hands the vector to EPR.
        if (shared.vm.interrupt_ack) s.epr = shared.vm.interrupt_ack->acknowledge(index);
        interrupt(Ivor::External, IntClass::Base, pc);
    } else if ((msr & msr::EE) && (s.tsr & tsr::FIS) && (s.tcr & tcr::FIE)) {
        interrupt(Ivor::FixedInterval, IntClass::Base, pc);
    } else if ((msr & msr::EE) && (s.tsr & tsr::DIS) && (s.tcr & tcr::DIE)) {
        interrupt(Ivor::Decrementer, IntClass::Base, pc);
    } else if ((msr & msr::EE) && doorbell) {
        doorbell = false;
        interrupt(Ivor::Doorbell, IntClass::Base, pc);
    } else {
        return false;
    }
    pc = npc;
    flow = false;
    return true;
}

// ---------------------------------------------------------------- memory

bool Core::translate_data(uint64_t ea, Access access, Translation& t) {
    bool as = msr & msr::DS;
    t = mmu.translate(ea, access, as, msr & msr::PR, s.pid);
    if (t.fault == Translation::Fault::None) return true;
    s.dear = ea;
    s.esr = access == Access::Write ? esr::ST : 0;
    if (t.fault == Translation::Fault::Miss) {
        mmu.load_miss_defaults(mas, ea, as, s.pid);
        interrupt(Ivor::DataTlbError, IntClass::Base, pc);
    } else {
        interrupt(Ivor::DataStorage, IntClass::Base, pc);
    }
    return false;
}

bool Core::probe(uint64_t ea, Access access, uint64_t& pa) {
    Translation t;
    if (!translate_data(ea, access, t)) return false;
    pa = t.pa;
    return true;
}

bool Core::access_phys(uint64_t pa, unsigned size, uint64_t& value, bool write, uint64_t ea) {
    auto& vm = shared.vm;
    if (vm.ram.contains(pa, size)) {
        uint8_t* p = vm.ram.host(pa);
        if (write) {
            for (unsigned n = 0; n < size; ++n)
                p[n] = static_cast<uint8_t>(value >> (8 * (size - 1 - n)));
            // Self-modifying code: the decoded words follow memory at once
            // (the page usually stays, so the running block may go on from
            // it). When the write drops the page instead, the block ends here:
            // it may be running from that page.
            if ((shared.code.has_code(pa) || shared.code.has_code(pa + size - 1)) &&
                shared.code.invalidate(pa, size))
                end_block();
        } else {
            value = 0;
            for (unsigned n = 0; n < size; ++n)
                value = (value << 8) | p[n];
        }
        return true;
    }
    vm.current_cpu = index;
    bool ok = write ? vm.bus.write(pa, size, value) : vm.bus.read(pa, size, value);
    if (!ok) {
        machine_check(ea, pa, write ? mcsr::ST : mcsr::LD);
        return false;
    }
    // Device registers may raise interrupts or stop the VM: look at them promptly.
    end_block();
    return true;
}

bool Core::load_slow(uint64_t ea, unsigned size, uint64_t& value) {
    ++stats.data_slow;
    if (debug && debug->watch_hit(index, pc, ea, size, false)) [[unlikely]] {
        branch(pc);
        return false;
    }
    if ((ea & (kPageSize - 1)) + size > kPageSize) {
        // Crossing a page: two translations, each part read in its own page.
        unsigned first = kPageSize - (ea & (kPageSize - 1));
        uint64_t hi = 0, lo = 0;
        if (!load_slow(ea, first, hi) || !load_slow((ea + first) & ea_mask, size - first, lo))
            return false;
        value = (hi << (8 * (size - first))) | lo;
        return true;
    }
    Translation t;
    if (!translate_data(ea, Access::Read, t)) return false;
    if (!access_phys(t.pa, size, value, false, ea)) return false;
    if (t.wimge & 1) { // E: little-endian page
        uint64_t v = 0;
        for (unsigned n = 0; n < size; ++n)
            v = (v << 8) | ((value >> (8 * n)) & 0xff);
        value = v;
    } else if (dctx_ != kNoContext && (!debug || debug->watches.empty())) {
        uint64_t page = t.pa & ~static_cast<uint64_t>(kPageSize - 1);
        if (shared.vm.ram.contains(page, kPageSize))
            rtlb_[(ea >> kPageShift) % kTlbSlots] =
                TlbSlot{tag(ea, dctx_), shared.vm.ram.host(page)};
    }
    return true;
}

bool Core::store_slow(uint64_t ea, unsigned size, uint64_t value) {
    ++stats.data_slow;
    if (debug && debug->watch_hit(index, pc, ea, size, true)) [[unlikely]] {
        branch(pc);
        return false;
    }
    if ((ea & (kPageSize - 1)) + size > kPageSize) {
        unsigned first = kPageSize - (ea & (kPageSize - 1));
        unsigned second = size - first;
        // Translate both parts before writing either, so a fault leaves memory untouched.
        uint64_t pa;
        const uint64_t next = (ea + first) & ea_mask;
        if (!probe(ea, Access::Write, pa) || !probe(next, Access::Write, pa)) return false;
        return store_slow(ea, first, value >> (8 * second)) &&
               store_slow(next, second, value & ((1ull << (8 * second)) - 1));
    }
    Translation t;
    if (!translate_data(ea, Access::Write, t)) return false;
    if (t.wimge & 1) {
        uint64_t v = 0;
        for (unsigned n = 0; n < size; ++n)
            v = (v << 8) | ((value >> (8 * n)) & 0xff);
        value = v;
    }
    if (!access_phys(t.pa, size, value, true, ea)) return false;
    uint64_t page = t.pa & ~static_cast<uint64_t>(kPageSize - 1);
    if (!(t.wimge & 1) && dctx_ != kNoContext && shared.vm.ram.contains(page, kPageSize) &&
        !shared.code.has_code(page) && (!debug || debug->watches.empty()))
        wtlb_[(ea >> kPageShift) % kTlbSlots] = TlbSlot{tag(ea, dctx_), shared.vm.ram.host(page)};
    return true;
}

// ---------------------------------------------------------------- execution

DecodedPage* Core::fetch_page(uint64_t ea) {
    FetchSlot& slot = itlb_[(ea >> kPageShift) % kFetchSlots];
    uint64_t key = tag(ea, ictx_);
    if (slot.tag == key) [[likely]] {
        ++stats.fetch_fast;
        return slot.page;
    }
    ++stats.fetch_slow;
    bool as = msr & msr::IS;
    Translation t = mmu.translate(ea, Access::Execute, as, msr & msr::PR, s.pid);
    if (t.fault == Translation::Fault::Miss) {
        mmu.load_miss_defaults(mas, ea, as, s.pid);
        interrupt(Ivor::InstTlbError, IntClass::Base, pc);
        return nullptr;
    }
    if (t.fault == Translation::Fault::Permission) {
        s.esr = 0;
        interrupt(Ivor::InstStorage, IntClass::Base, pc);
        return nullptr;
    }
    uint64_t epoch = shared.code.code_epoch();
    DecodedPage* page = shared.code.page(t.pa & ~static_cast<uint64_t>(kPageSize - 1));
    if (!page) {
        machine_check(ea, t.pa, mcsr::IF);
        return nullptr;
    }
    if (shared.code.code_epoch() != epoch) {
        // A page just became code: no store may keep a fast path into it.
        wtlb_.fill(TlbSlot{});
        seen_code_epoch_ = shared.code.code_epoch();
    }
    if (ictx_ != kNoContext) slot = FetchSlot{key, page};
    return page;
}

// Runs from pc until the budget is used up or an instruction asks the run
// loop to look at the machine (sync). Plain branches stay in the loop: the
// decoded page is looked up again only when the target is in another page.
// At every block start (entry, branch target, page change) a translated
// block runs if the slot has one and the budget holds a pass of it;
// otherwise the slot's heat goes up, and a hot slot is translated.
// The interpreter's inner loop runs straight-line code up to `stop`, the end
// of the page or of the budget, whichever comes first, so it tests one
// pointer per instruction besides `flow`. `Watched` (a trace or a debugger)
// never runs translated code, and adds the trace line per instruction and
// the block end at every taken branch.
template <bool Watched> uint64_t Core::run_block(uint64_t budget) {
    flow = false;
    sync = false;
    DecodedPage* page = nullptr;
    DecodedSlot* slot = nullptr;
    DecodedSlot* page_end = nullptr;
    uint64_t page_ea = ~uint64_t{0};
    // Points `slot` at pc, looking the page up when pc left the current one.
    // False when the fetch raised an interrupt (pc is then its vector).
    auto follow_pc = [&] {
        pc &= ea_mask; // straight-line code in 32-bit mode wraps at 4 GiB
        if ((pc & ~uint64_t{kPageSize - 1}) != page_ea) {
            page = fetch_page(pc);
            if (!page) {
                pc = npc;
                flow = false;
                return false;
            }
            page->stores_since_run = 0;
            page_ea = pc & ~uint64_t{kPageSize - 1};
            page_end = page->slots + kSlotsPerPage;
        }
        slot = &page->slots[(pc >> 2) & (kSlotsPerPage - 1)];
        return true;
    };
    // A failed fetch counts as an instruction, so a guest faulting forever
    // still makes progress.
    if (!follow_pc()) return 1;
    // The translator emits 32-bit code: a 64-bit core is interpreted.
    const bool translate = !Watched && !is64 && shared.jit.active();
    uint64_t left = budget; // instructions this call may still run
    for (;;) {
        if (translate) {
            if (slot->block) {
                if (slot->block_length <= left) {
                    uint64_t ran = slot->block(this, left);
                    // An unlinked exit to this page, if the block left through
                    // one: linked below once its target is translated.
                    const uint64_t exit_site = jit_exit_site;
                    jit_exit_site = 0;
                    stats.translated += ran;
                    left -= ran;
                    if (sync || left == 0) break;
                    if (!follow_pc()) return budget - left + 1;
                    if (exit_site && slot->block) [[unlikely]]
                        shared.jit.link(*page, exit_site,
                                        static_cast<unsigned>(slot - page->slots));
                    continue;
                }
            } else if (++slot->heat >= jit::Jit::kHotBlockStarts) {
                shared.jit.translate(*page, static_cast<unsigned>(slot - page->slots), *this);
                if (slot->block) continue;
            }
        }
        const DecodedSlot* start = slot;
        const DecodedSlot* stop = page_end;
        if (left<kSlotsPerPage&& static_cast<uint64_t>(page_end - slot)> left) stop = slot + left;
        bool branched = false;
        do {
            if constexpr (Watched)
                if (shared.trace) write_trace_line(slot->insn.raw);
            slot->fn(*this, *slot);
            ++slot;
            if (flow) [[unlikely]] {
                branched = true;
                break;
            }
            pc += 4;
        } while (slot != stop);
        left -= static_cast<uint64_t>(slot - start);
        if (branched) {
            pc = npc;
            flow = false;
            if (sync || left == 0) break;
            if constexpr (Watched)
                if (branch_ends_block) break;
        } else if (left == 0) {
            break;
        }
        // A branch, or straight-line code that ran off the end of the page.
        if (!follow_pc()) return budget - left + 1;
    }
    sync = false;
    return budget - left;
}

uint64_t Core::run(uint64_t budget) {
    uint64_t done = 0;
    uint64_t deliveries = 0; // interrupt entries use up budget too, so run(1) is a single step
    update_timers();
    const bool trace = shared.trace != nullptr;
    while (done + deliveries < budget) {
        if (debug && debug->should_stop(index, pc)) [[unlikely]]
            break;
        if (shared.jit.flush_due()) [[unlikely]]
            shared.jit.flush(shared.code);
        shared.code.release_retired();
        check_caches();
        if (take_interrupt()) {
            check_caches();
            ++deliveries;
            continue;
        }
        if (waiting || checkstop) break;
        uint64_t left = budget - done - deliveries;
        branch_ends_block = debug != nullptr;
        if (debug) [[unlikely]]
            left = std::max<uint64_t>(1, debug->limit(pc, left));
        done += trace || debug ? run_block<true>(left) : run_block<false>(left);
        if (checkstop || shared.vm.control.stop_requested()) break;
    }
    instructions += done;
    return done;
}

void Core::write_trace_line(uint32_t raw) {
    FILE* f = shared.trace;
    if (!f) return; // the limit was reached earlier in this block
    fmt::memory_buffer line;
    auto out = std::back_inserter(line);
    // Address-sized registers in 16 digits on a 64-bit core (as QEMU's
    // ppc64 traces print them), 8 on a 32-bit one.
    const int w = is64 ? 16 : 8;
    fmt::format_to(out,
                   "cpu{} pc={:0{}x} insn={:08x} msr={:08x} lr={:0{}x} ctr={:0{}x} cr={:08x} "
                   "xer={:08x}",
                   index, pc, w, raw, msr, lr, w, ctr, w, cr, xer);
    for (unsigned r = 0; r < 32; ++r)
        fmt::format_to(out, " r{}={:0{}x}", r, gpr[r], w);
    fmt::format_to(out, " ; {}\n", disassemble(raw, pc));
    if (shared.trace_bytes + line.size() > shared.options.trace_limit_bytes) {
        fmt::print(f, "trace stopped: the next line would pass the {}-byte limit\n",
                   shared.options.trace_limit_bytes);
        std::fclose(f);
        shared.trace = nullptr;
        return;
    }
    std::fwrite(line.data(), 1, line.size(), f);
    shared.trace_bytes += line.size();
}

} // namespace vmc::emu
