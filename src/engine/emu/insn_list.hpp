// The instruction list: one line per e500mc/e5500 instruction (the 64-bit
// ones raise the illegal-instruction interrupt on a 32-bit core). Everything else -
// the handler declarations, the flat decode table, its collision check and
// the trace disassembler - is generated from it.
//
// X(mnemonic, handler, primary, xo, xo_mask, flags, operands)
//   flags: kEndsBlock, kPriv, kLoad, kStore, k64 (64-bit cores only: the
//   handler raises the illegal-instruction interrupt on a 32-bit core).
//   xo/xo_mask select slots of the 10-bit extended opcode (bits 21:30);
//   mask 0 takes the whole primary opcode, 0x1ff ignores OE (XO-form),
//   0x1f is the A-form 5-bit opcode (isel).
//   operands: comma-separated tokens the disassembler prints
//   (t a b s = registers, si ui = immediates, d = displacement(rA),
//    bf bfa = CR fields, to, bo bi, bd li = branch targets, sh mb me, crd cra crb,
//    spr, tbr, fxm, e).
#pragma once

#define VMC_INSTRUCTIONS(X)                                                                        \
    X("tdi", tdi, 2, 0, 0, k64, "to,a,si")                                                         \
    X("twi", twi, 3, 0, 0, 0, "to,a,si")                                                           \
    X("mulli", mulli, 7, 0, 0, 0, "t,a,si")                                                        \
    X("subfic", subfic, 8, 0, 0, 0, "t,a,si")                                                      \
    X("cmpli", cmpli, 10, 0, 0, 0, "bf,a,ui")                                                      \
    X("cmpi", cmpi, 11, 0, 0, 0, "bf,a,si")                                                        \
    X("addic", addic, 12, 0, 0, 0, "t,a,si")                                                       \
    X("addic.", addic_rc, 13, 0, 0, 0, "t,a,si")                                                   \
    X("addi", addi, 14, 0, 0, 0, "t,a,si")                                                         \
    X("addis", addis, 15, 0, 0, 0, "t,a,si")                                                       \
    X("bc", bc, 16, 0, 0, kEndsBlock, "bo,bi,bd")                                                  \
    X("sc", sc, 17, 0, 0, kEndsBlock, "")                                                          \
    X("b", b, 18, 0, 0, kEndsBlock, "li")                                                          \
    X("mcrf", mcrf, 19, 0, 0x3ff, 0, "bf,bfa")                                                     \
    X("bclr", bclr, 19, 16, 0x3ff, kEndsBlock, "bo,bi")                                            \
    X("crnor", crnor, 19, 33, 0x3ff, 0, "crd,cra,crb")                                             \
    X("rfmci", rfmci, 19, 38, 0x3ff, kEndsBlock | kPriv, "")                                       \
    X("rfdi", rfdi, 19, 39, 0x3ff, kEndsBlock | kPriv, "")                                         \
    X("rfi", rfi, 19, 50, 0x3ff, kEndsBlock | kPriv, "")                                           \
    X("rfci", rfci, 19, 51, 0x3ff, kEndsBlock | kPriv, "")                                         \
    X("crandc", crandc, 19, 129, 0x3ff, 0, "crd,cra,crb")                                          \
    X("isync", isync, 19, 150, 0x3ff, kEndsBlock, "")                                              \
    X("crxor", crxor, 19, 193, 0x3ff, 0, "crd,cra,crb")                                            \
    X("crnand", crnand, 19, 225, 0x3ff, 0, "crd,cra,crb")                                          \
    X("crand", crand, 19, 257, 0x3ff, 0, "crd,cra,crb")                                            \
    X("creqv", creqv, 19, 289, 0x3ff, 0, "crd,cra,crb")                                            \
    X("crorc", crorc, 19, 417, 0x3ff, 0, "crd,cra,crb")                                            \
    X("cror", cror, 19, 449, 0x3ff, 0, "crd,cra,crb")                                              \
    X("bcctr", bcctr, 19, 528, 0x3ff, kEndsBlock, "bo,bi")                                         \
    X("rlwimi", rlwimi, 20, 0, 0, 0, "a,s,sh,mb,me")                                               \
    X("rlwinm", rlwinm, 21, 0, 0, 0, "a,s,sh,mb,me")                                               \
    X("rlwnm", rlwnm, 23, 0, 0, 0, "a,s,b,mb,me")                                                  \
    X("ori", ori, 24, 0, 0, 0, "a,s,ui")                                                           \
    X("oris", oris, 25, 0, 0, 0, "a,s,ui")                                                         \
    X("xori", xori, 26, 0, 0, 0, "a,s,ui")                                                         \
    X("xoris", xoris, 27, 0, 0, 0, "a,s,ui")                                                       \
    X("andi.", andi_rc, 28, 0, 0, 0, "a,s,ui")                                                     \
    X("andis.", andis_rc, 29, 0, 0, 0, "a,s,ui")                                                   \
    X("rld", rld, 30, 0, 0, k64, "a,s")                                                            \
    X("cmp", cmp, 31, 0, 0x3ff, 0, "bf,a,b")                                                       \
    X("tw", tw, 31, 4, 0x3ff, 0, "to,a,b")                                                         \
    X("subfc", subfc, 31, 8, 0x1ff, 0, "t,a,b")                                                    \
    X("addc", addc, 31, 10, 0x1ff, 0, "t,a,b")                                                     \
    X("mulhdu", mulhdu, 31, 9, 0x3ff, k64, "t,a,b")                                                \
    X("mulhwu", mulhwu, 31, 11, 0x3ff, 0, "t,a,b")                                                 \
    X("isel", isel, 31, 15, 0x1f, 0, "t,a,b,crc")                                                  \
    X("tlbilx", tlbilx, 31, 18, 0x3ff, kPriv | kEndsBlock, "a,b")                                  \
    X("mfcr", mfcr, 31, 19, 0x3ff, 0, "t")                                                         \
    X("lwarx", lwarx, 31, 20, 0x3ff, kLoad, "t,a,b")                                               \
    X("icbt", cache_hint, 31, 22, 0x3ff, 0, "a,b")                                                 \
    X("ldx", ldx, 31, 21, 0x3ff, kLoad | k64, "t,a,b")                                             \
    X("lwzx", lwzx, 31, 23, 0x3ff, kLoad, "t,a,b")                                                 \
    X("slw", slw, 31, 24, 0x3ff, 0, "a,s,b")                                                       \
    X("sld", sld, 31, 27, 0x3ff, k64, "a,s,b")                                                     \
    X("cntlzw", cntlzw, 31, 26, 0x3ff, 0, "a,s")                                                   \
    X("and", and_, 31, 28, 0x3ff, 0, "a,s,b")                                                      \
    X("cmpl", cmpl, 31, 32, 0x3ff, 0, "bf,a,b")                                                    \
    X("cntlzd", cntlzd, 31, 58, 0x3ff, k64, "a,s")                                                 \
    X("subf", subf, 31, 40, 0x1ff, 0, "t,a,b")                                                     \
    X("ldux", ldux, 31, 53, 0x3ff, kLoad | k64, "t,a,b")                                           \
    X("dcbst", dcbst, 31, 54, 0x3ff, 0, "a,b")                                                     \
    X("lwzux", lwzux, 31, 55, 0x3ff, kLoad, "t,a,b")                                               \
    X("andc", andc, 31, 60, 0x3ff, 0, "a,s,b")                                                     \
    X("td", td, 31, 68, 0x3ff, k64, "to,a,b")                                                      \
    X("wait", wait, 31, 62, 0x3ff, kEndsBlock, "")                                                 \
    X("mulhd", mulhd, 31, 73, 0x3ff, k64, "t,a,b")                                                 \
    X("mulhw", mulhw, 31, 75, 0x3ff, 0, "t,a,b")                                                   \
    X("mfmsr", mfmsr, 31, 83, 0x3ff, kPriv, "t")                                                   \
    X("ldarx", ldarx, 31, 84, 0x3ff, kLoad | k64, "t,a,b")                                         \
    X("dcbf", dcbf, 31, 86, 0x3ff, 0, "a,b")                                                       \
    X("lbzx", lbzx, 31, 87, 0x3ff, kLoad, "t,a,b")                                                 \
    X("neg", neg, 31, 104, 0x1ff, 0, "t,a")                                                        \
    X("lbzux", lbzux, 31, 119, 0x3ff, kLoad, "t,a,b")                                              \
    X("nor", nor, 31, 124, 0x3ff, 0, "a,s,b")                                                      \
    X("popcntb", popcntb, 31, 122, 0x3ff, k64, "a,s")                                              \
    X("wrtee", wrtee, 31, 131, 0x3ff, kPriv | kEndsBlock, "s")                                     \
    X("dcbtstls", cache_lock, 31, 134, 0x3ff, 0, "a,b")                                            \
    X("subfe", subfe, 31, 136, 0x1ff, 0, "t,a,b")                                                  \
    X("adde", adde, 31, 138, 0x1ff, 0, "t,a,b")                                                    \
    X("mtcrf", mtcrf, 31, 144, 0x3ff, 0, "fxm,s")                                                  \
    X("mtmsr", mtmsr, 31, 146, 0x3ff, kPriv | kEndsBlock, "s")                                     \
    X("stdx", stdx, 31, 149, 0x3ff, kStore | k64, "s,a,b")                                         \
    X("stwcx.", stwcx, 31, 150, 0x3ff, kStore, "s,a,b")                                            \
    X("stwx", stwx, 31, 151, 0x3ff, kStore, "s,a,b")                                               \
    X("wrteei", wrteei, 31, 163, 0x3ff, kPriv | kEndsBlock, "e")                                   \
    X("dcbtls", cache_lock, 31, 166, 0x3ff, 0, "a,b")                                              \
    X("stdux", stdux, 31, 181, 0x3ff, kStore | k64, "s,a,b")                                       \
    X("stwux", stwux, 31, 183, 0x3ff, kStore, "s,a,b")                                             \
    X("subfze", subfze, 31, 200, 0x1ff, 0, "t,a")                                                  \
    X("addze", addze, 31, 202, 0x1ff, 0, "t,a")                                                    \
    X("msgsnd", msgsnd, 31, 206, 0x3ff, kPriv, "b")                                                \
    X("stdcx.", stdcx, 31, 214, 0x3ff, kStore | k64, "s,a,b")                                      \
    X("stbx", stbx, 31, 215, 0x3ff, kStore, "s,a,b")                                               \
    X("icblc", cache_lock, 31, 230, 0x3ff, 0, "a,b")                                               \
    X("subfme", subfme, 31, 232, 0x1ff, 0, "t,a")                                                  \
    X("addme", addme, 31, 234, 0x1ff, 0, "t,a")                                                    \
    X("mulld", mulld, 31, 233, 0x1ff, k64, "t,a,b")                                                \
    X("mullw", mullw, 31, 235, 0x1ff, 0, "t,a,b")                                                  \
    X("msgclr", msgclr, 31, 238, 0x3ff, kPriv, "b")                                                \
    X("dcbtst", cache_hint, 31, 246, 0x3ff, 0, "a,b")                                              \
    X("stbux", stbux, 31, 247, 0x3ff, kStore, "s,a,b")                                             \
    X("add", add, 31, 266, 0x1ff, 0, "t,a,b")                                                      \
    X("dcbt", cache_hint, 31, 278, 0x3ff, 0, "a,b")                                                \
    X("lhzx", lhzx, 31, 279, 0x3ff, kLoad, "t,a,b")                                                \
    X("eqv", eqv, 31, 284, 0x3ff, 0, "a,s,b")                                                      \
    X("lhzux", lhzux, 31, 311, 0x3ff, kLoad, "t,a,b")                                              \
    X("xor", xor_, 31, 316, 0x3ff, 0, "a,s,b")                                                     \
    X("mfpmr", mfpmr, 31, 334, 0x3ff, 0, "t,spr")                                                  \
    X("mfspr", mfspr, 31, 339, 0x3ff, 0, "t,spr")                                                  \
    X("lwax", lwax, 31, 341, 0x3ff, kLoad | k64, "t,a,b")                                          \
    X("lhax", lhax, 31, 343, 0x3ff, kLoad, "t,a,b")                                                \
    X("mftb", mftb, 31, 371, 0x3ff, 0, "t,spr")                                                    \
    X("lwaux", lwaux, 31, 373, 0x3ff, kLoad | k64, "t,a,b")                                        \
    X("popcntw", popcntw, 31, 378, 0x3ff, k64, "a,s")                                              \
    X("lhaux", lhaux, 31, 375, 0x3ff, kLoad, "t,a,b")                                              \
    X("dcblc", cache_lock, 31, 390, 0x3ff, 0, "a,b")                                               \
    X("sthx", sthx, 31, 407, 0x3ff, kStore, "s,a,b")                                               \
    X("orc", orc, 31, 412, 0x3ff, 0, "a,s,b")                                                      \
    X("sthux", sthux, 31, 439, 0x3ff, kStore, "s,a,b")                                             \
    X("or", or_, 31, 444, 0x3ff, 0, "a,s,b")                                                       \
    X("divdu", divdu, 31, 457, 0x1ff, k64, "t,a,b")                                                \
    X("divwu", divwu, 31, 459, 0x1ff, 0, "t,a,b")                                                  \
    X("mtpmr", mtpmr, 31, 462, 0x3ff, kPriv, "spr,s")                                              \
    X("mtspr", mtspr, 31, 467, 0x3ff, kEndsBlock, "spr,s")                                         \
    X("dcbi", dcbi, 31, 470, 0x3ff, kPriv, "a,b")                                                  \
    X("nand", nand, 31, 476, 0x3ff, 0, "a,s,b")                                                    \
    X("icbtls", cache_lock, 31, 486, 0x3ff, 0, "a,b")                                              \
    X("divd", divd, 31, 489, 0x1ff, k64, "t,a,b")                                                  \
    X("popcntd", popcntd, 31, 506, 0x3ff, k64, "a,s")                                              \
    X("cmpb", cmpb, 31, 508, 0x3ff, k64, "a,s,b")                                                  \
    X("divw", divw, 31, 491, 0x1ff, 0, "t,a,b")                                                    \
    X("mcrxr", mcrxr, 31, 512, 0x3ff, 0, "bf")                                                     \
    X("ldbrx", ldbrx, 31, 532, 0x3ff, kLoad | k64, "t,a,b")                                        \
    X("lwbrx", lwbrx, 31, 534, 0x3ff, kLoad, "t,a,b")                                              \
    X("lfsx", lfsx, 31, 535, 0x3ff, kLoad, "t,a,b")                                                \
    X("srd", srd, 31, 539, 0x3ff, k64, "a,s,b")                                                    \
    X("srw", srw, 31, 536, 0x3ff, 0, "a,s,b")                                                      \
    X("tlbsync", tlbsync, 31, 566, 0x3ff, kPriv, "")                                               \
    X("lfsux", lfsux, 31, 567, 0x3ff, kLoad, "t,a,b")                                              \
    X("sync", sync, 31, 598, 0x3ff, 0, "")                                                         \
    X("lfdx", lfdx, 31, 599, 0x3ff, kLoad, "t,a,b")                                                \
    X("lfdux", lfdux, 31, 631, 0x3ff, kLoad, "t,a,b")                                              \
    X("stdbrx", stdbrx, 31, 660, 0x3ff, kStore | k64, "s,a,b")                                     \
    X("stwbrx", stwbrx, 31, 662, 0x3ff, kStore, "s,a,b")                                           \
    X("stfsx", stfsx, 31, 663, 0x3ff, kStore, "s,a,b")                                             \
    X("stfsux", stfsux, 31, 695, 0x3ff, kStore, "s,a,b")                                           \
    X("stfdx", stfdx, 31, 727, 0x3ff, kStore, "s,a,b")                                             \
    X("dcba", cache_hint, 31, 758, 0x3ff, 0, "a,b")                                                \
    X("stfdux", stfdux, 31, 759, 0x3ff, kStore, "s,a,b")                                           \
    X("tlbivax", tlbivax, 31, 786, 0x3ff, kPriv | kEndsBlock, "a,b")                               \
    X("lhbrx", lhbrx, 31, 790, 0x3ff, kLoad, "t,a,b")                                              \
    X("sraw", sraw, 31, 792, 0x3ff, 0, "a,s,b")                                                    \
    X("srad", srad, 31, 794, 0x3ff, k64, "a,s,b")                                                  \
    X("srawi", srawi, 31, 824, 0x3ff, 0, "a,s,sh")                                                 \
    X("sradi", sradi, 31, 826, 0x3fe, k64, "a,s")                                                  \
    X("mbar", sync, 31, 854, 0x3ff, 0, "")                                                         \
    X("tlbsx", tlbsx, 31, 914, 0x3ff, kPriv | kEndsBlock, "a,b")                                   \
    X("sthbrx", sthbrx, 31, 918, 0x3ff, kStore, "s,a,b")                                           \
    X("extsh", extsh, 31, 922, 0x3ff, 0, "a,s")                                                    \
    X("tlbre", tlbre, 31, 946, 0x3ff, kPriv | kEndsBlock, "")                                      \
    X("extsb", extsb, 31, 954, 0x3ff, 0, "a,s")                                                    \
    X("tlbwe", tlbwe, 31, 978, 0x3ff, kPriv | kEndsBlock, "")                                      \
    X("extsw", extsw, 31, 986, 0x3ff, k64, "a,s")                                                  \
    X("icbi", icbi, 31, 982, 0x3ff, kEndsBlock, "a,b")                                             \
    X("stfiwx", stfiwx, 31, 983, 0x3ff, kStore, "s,a,b")                                           \
    X("dcbz", dcbz, 31, 1014, 0x3ff, kStore, "a,b")                                                \
    X("lwz", lwz, 32, 0, 0, kLoad, "t,d")                                                          \
    X("lwzu", lwzu, 33, 0, 0, kLoad, "t,d")                                                        \
    X("lbz", lbz, 34, 0, 0, kLoad, "t,d")                                                          \
    X("lbzu", lbzu, 35, 0, 0, kLoad, "t,d")                                                        \
    X("stw", stw, 36, 0, 0, kStore, "s,d")                                                         \
    X("stwu", stwu, 37, 0, 0, kStore, "s,d")                                                       \
    X("stb", stb, 38, 0, 0, kStore, "s,d")                                                         \
    X("stbu", stbu, 39, 0, 0, kStore, "s,d")                                                       \
    X("lhz", lhz, 40, 0, 0, kLoad, "t,d")                                                          \
    X("lhzu", lhzu, 41, 0, 0, kLoad, "t,d")                                                        \
    X("lha", lha, 42, 0, 0, kLoad, "t,d")                                                          \
    X("lhau", lhau, 43, 0, 0, kLoad, "t,d")                                                        \
    X("sth", sth, 44, 0, 0, kStore, "s,d")                                                         \
    X("sthu", sthu, 45, 0, 0, kStore, "s,d")                                                       \
    X("lmw", lmw, 46, 0, 0, kLoad, "t,d")                                                          \
    X("stmw", stmw, 47, 0, 0, kStore, "s,d")                                                       \
    X("lfs", lfs, 48, 0, 0, kLoad, "t,d")                                                          \
    X("lfsu", lfsu, 49, 0, 0, kLoad, "t,d")                                                        \
    X("lfd", lfd, 50, 0, 0, kLoad, "t,d")                                                          \
    X("lfdu", lfdu, 51, 0, 0, kLoad, "t,d")                                                        \
    X("stfs", stfs, 52, 0, 0, kStore, "s,d")                                                       \
    X("stfsu", stfsu, 53, 0, 0, kStore, "s,d")                                                     \
    X("stfd", stfd, 54, 0, 0, kStore, "s,d")                                                       \
    X("stfdu", stfdu, 55, 0, 0, kStore, "s,d")                                                     \
    X("ld", ld_ds, 58, 0, 0, kLoad | k64, "t,d")                                                   \
    X("fp.s", fp_op, 59, 0, 0, 0, "")                                                              \
    X("std", std_ds, 62, 0, 0, kStore | k64, "s,d")                                                \
    X("fp", fp_op, 63, 0, 0, 0, "")
