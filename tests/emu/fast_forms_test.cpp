// The fast forms the decoder picks (exec_fast.cpp) against the generic
// handlers of the instruction list: for random instruction words of every
// opcode that has a fast form, both run on the same register and memory
// state, and everything they can change must come out the same, including
// the interrupts a faulting load or store raises.
#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "engine/emu/decode.hpp"
#include "harness.hpp"

using namespace vmc::emu;
using namespace vmc::emu::test;

namespace {

// Instruction words with the primary (and for 31, the extended) opcode of
// each fast form; every other bit random.
struct Pattern {
    unsigned primary, xo;
};
const Pattern kPatterns[] = {
    {7, 0},    {10, 0},   {11, 0},   {14, 0},  {15, 0},   {16, 0},   {18, 0},   {19, 16},
    {21, 0},   {24, 0},   {25, 0},   {26, 0},  {27, 0},   {28, 0},   {29, 0},   {32, 0},
    {33, 0},   {34, 0},   {35, 0},   {36, 0},  {37, 0},   {38, 0},   {40, 0},   {44, 0},
    {31, 0},   {31, 32},  {31, 266}, {31, 40}, {31, 235}, {31, 28},  {31, 60},  {31, 444},
    {31, 316}, {31, 124}, {31, 23},  {31, 87}, {31, 151}, {31, 215}, {19, 528}, {31, 339},
    {31, 371}, {31, 467}, {39, 0},   {41, 0},  {45, 0},   {31, 279}, {31, 407},
};
// mfspr, mftb, mtspr: SPR numbers with a fast form and a few without.
const unsigned kSprs[] = {1, 8, 9, 268, 269, 272, 26, 284};

constexpr uint32_t kDataBase = 0x00200000; // inside the test machine's 64 MiB
// Registers that hold addresses point within kSpread of kDataBase; with a
// 16-bit displacement a D-form access stays inside [kDataBase - kWindow,
// kDataBase + kWindow), the memory compared after each store.
constexpr uint32_t kSpread = 0x800, kWindow = 0x8800;

bool is_store(unsigned primary, unsigned xo) {
    return primary == 36 || primary == 37 || primary == 38 || primary == 39 || primary == 44 ||
           primary == 45 || (primary == 31 && (xo == 151 || xo == 215 || xo == 407));
}

struct State {
    std::array<uint64_t, 32> gpr;
    uint32_t cr, xer;
    uint64_t lr, ctr;
    uint32_t msr;
    uint64_t srr0;
    uint32_t srr1, esr;
    uint64_t dear;
    bool flow;
    uint64_t npc;
    bool operator==(const State&) const = default;
};

State capture(const Core& c) {
    return State{c.gpr,    c.cr,     c.xer,   c.lr,     c.ctr,  c.msr,
                 c.s.srr0, c.s.srr1, c.s.esr, c.s.dear, c.flow, c.flow ? c.npc : 0};
}

// Runs every pattern on a core of `model`, in 64-bit computation mode when
// `cm`; returns how often each fast handler was tried.
std::map<SlotFn, unsigned> compare_fast_forms(const std::string& model, bool cm) {
    TestVm t(1, {}, model);
    Core& c = t.cpu();
    const bool wide = c.is64;
    std::mt19937 rng(12345);
    std::map<SlotFn, unsigned> picked; // how often each fast handler was tried
    uint8_t* ram = t.vm->ram.host(0);
    uint8_t* const window_start = ram + kDataBase - kWindow;
    const std::vector<uint8_t> window(window_start, window_start + 2 * kWindow);

    for (const Pattern& p : kPatterns) {
        for (unsigned n = 0; n < 400; ++n) {
            uint32_t raw = (p.primary << 26) | (rng() & 0x03ffffff);
            if (p.primary == 31 || p.primary == 19) raw = (raw & ~(0x3ffu << 1)) | (p.xo << 1);
            if (n % 4 == 0) raw &= ~1u;            // Rc / LK clear
            if (n % 8 == 1) raw &= ~(0x1fu << 16); // RA = 0
            if (n % 8 == 2) raw &= ~(1u << 10);    // OE clear (XO forms)
            if (p.primary == 31 && (p.xo == 339 || p.xo == 371 || p.xo == 467)) {
                unsigned spr = kSprs[rng() % std::size(kSprs)]; // split field: low half first
                raw = (raw & ~(0x3ffu << 11)) | ((spr & 0x1f) << 16) | ((spr >> 5) << 11);
            }
            if (p.primary == 19 && n % 2) raw = (raw & ~(0x1fu << 21)) | (0x14u << 21); // BO always
            DecodedSlot slot = decode_slot(raw);
            DecodedSlot fast = slot;
            if (!decode_fast(raw, fast)) continue;
            ++picked[fast.fn];

            // Registers: addresses near the data window (so loads and stores
            // mostly hit RAM), small numbers, and a few that fault.
            // On a 64-bit core the upper halves are random too.
            std::array<uint64_t, 32> regs;
            for (auto& r : regs) {
                switch (rng() % 4) {
                case 0:
                    r = kDataBase - kSpread + (rng() % (2 * kSpread));
                    break;
                case 1:
                    r = rng() & 0xff;
                    break;
                case 2:
                    r = static_cast<uint64_t>(-static_cast<int64_t>(rng() & 0xff)) & c.gpr_mask;
                    break;
                default:
                    r = wide ? (uint64_t{rng()} << 32) | rng() : rng();
                    break;
                }
            }
            const uint32_t cr = rng(), xer = rng() & 0xe000007f, ctr = rng() % 3, lr = rng();
            auto run = [&](bool use_fast) {
                const bool store = is_store(p.primary, p.xo);
                if (store) std::memcpy(window_start, window.data(), window.size());
                c.gpr = regs;
                c.cr = cr;
                c.xer = xer;
                c.ctr = ctr;
                c.lr = lr;
                c.pc = 0x1000;
                c.msr = cm ? msr::CM : 0;
                c.ea_mask = cm ? ~uint64_t{0} : 0xffffffffu;
                c.s.srr0 = c.s.srr1 = c.s.esr = c.s.dear = 0;
                c.flow = false;
                c.npc = 0;
                if (use_fast)
                    fast.fn(c, fast);
                else
                    decode(raw).handler(c, Insn{raw});
                std::vector<uint8_t> mem;
                if (store) mem.assign(window_start, window_start + window.size());
                return std::pair(capture(c), mem);
            };
            auto generic = run(false);
            auto specialised = run(true);
            INFO(model << (cm ? " CM=1" : " CM=0") << ": instruction 0x" << std::hex << raw << " ("
                       << disassemble(raw, 0x1000) << ")");
            CHECK(specialised.first == generic.first);
            CHECK(specialised.second == generic.second);
        }
    }
    return picked;
}

} // namespace

TEST_CASE("fast forms agree with the generic handlers", "[emu][speed]") {
    // Every pattern has a fast form; most handlers must have been tried.
    CHECK(compare_fast_forms("e500mc", false).size() >= 40);
    CHECK(compare_fast_forms("e5500", false).size() >= 40);
    CHECK(compare_fast_forms("e5500", true).size() >= 40);
    // Forms the decoder must leave to the generic handler.
    DecodedSlot s{};
    CHECK_FALSE(decode_fast(0x7c632215, s)); // add. r3,r3,r4 (Rc)
    CHECK_FALSE(decode_fast(0x7c632614, s)); // addo r3,r3,r4 (OE)
    CHECK_FALSE(decode_fast(0x84630004, s)); // lwzu r3,4(r3): RA = RT is an invalid form
    CHECK_FALSE(decode_fast(0x41820011, s)); // bcl 12,2,+16 (LK)
    CHECK_FALSE(decode_fast(0x48000012, s)); // ba 0x10 (AA)
}
