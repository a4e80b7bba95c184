/*
 * Logical, shift, rotate, compare and isel instructions over boundary
 * operands. Each line: <insn> <a> <b> -> <rD> cr=<CR> xer=<XER>
 */
#include "rt.h"

static const u32 vals[] = {0, 1, 0x1f, 0x20, 0x21, 0x3f, 0x7fffffff, 0x80000000,
			   0xffffffff, 0x0000ffff, 0x12345678, 0xf0f0f0f0};
#define NV (sizeof vals / sizeof vals[0])

static void report(const char *name, u32 a, u32 b, u32 d, u32 cr, u32 xer)
{
	puts(name);
	putc(' ');
	puthex(a);
	putc(' ');
	puthex(b);
	puts(" -> ");
	puthex(d);
	puts(" cr=");
	puthex(cr);
	puts(" xer=");
	puthex(xer);
	putc('\n');
}

/* rD starts as 0x55aa55aa so that insert forms (rlwimi) show what they keep. */
#define OP(asmtext, id, a_reg, b_reg)                                              \
	static void t_##id(u32 a, u32 b)                                           \
	{                                                                          \
		u32 d = 0x55aa55aau, cr, xer;                                      \
		__asm__ volatile("li %1,0\n\tmtxer %1\n\tmtcr %1\n\t" asmtext     \
				 "\n\tmfcr %1\n\tmfxer %2"                         \
				 : "+&r"(d), "=&r"(cr), "=&r"(xer)                 \
				 : a_reg(a), b_reg(b)                              \
				 : "cr0", "cr1", "cr7", "xer");                    \
		report(#id, a, b, d, cr, xer);                                 \
	}
#define RR(insn, id) OP(insn " %0,%3,%4", id, "r", "r")
#define R1(insn, id) OP(insn " %0,%3", id, "r", "r")

RR("and", and_) RR("and.", and_rc) RR("or", or_) RR("or.", or_rc) RR("xor", xor_)
RR("xor.", xor_rc) RR("nand", nand) RR("nand.", nand_rc) RR("nor", nor) RR("nor.", nor_rc)
RR("eqv", eqv) RR("eqv.", eqv_rc) RR("andc", andc) RR("andc.", andc_rc) RR("orc", orc)
RR("orc.", orc_rc) RR("slw", slw) RR("slw.", slw_rc) RR("srw", srw) RR("srw.", srw_rc)
RR("sraw", sraw) RR("sraw.", sraw_rc) OP("rlwnm %0,%3,%4,0,31", rlwnm, "r", "r") OP("rlwnm. %0,%3,%4,0,31", rlwnm_rc, "r", "r")
R1("extsb", extsb) R1("extsb.", extsb_rc) R1("extsh", extsh) R1("extsh.", extsh_rc)
R1("cntlzw", cntlzw) R1("cntlzw.", cntlzw_rc)
OP("rlwnm %0,%3,%4,8,23", rlwnm_mid, "r", "r")
OP("rlwnm %0,%3,%4,28,3", rlwnm_wrap, "r", "r")
OP("srawi %0,%3,0", srawi0, "r", "r")
OP("srawi %0,%3,1", srawi1, "r", "r")
OP("srawi. %0,%3,31", srawi31, "r", "r")
OP("rlwinm %0,%3,0,0,31", rlwinm_id, "r", "r")
OP("rlwinm. %0,%3,5,0,26", rlwinm_sl5, "r", "r")
OP("rlwinm %0,%3,27,5,31", rlwinm_sr5, "r", "r")
OP("rlwinm %0,%3,16,24,7", rlwinm_wrap, "r", "r")
OP("rlwimi %0,%3,8,16,23", rlwimi_mid, "r", "r")
OP("rlwimi. %0,%3,0,31,0", rlwimi_wrap, "r", "r")
OP("andi. %0,%3,0x8001", andi, "r", "r")
OP("andis. %0,%3,0x8001", andis, "r", "r")
OP("ori %0,%3,0x8001", ori, "r", "r")
OP("oris %0,%3,0x8001", oris, "r", "r")
OP("xori %0,%3,0xffff", xori, "r", "r")
OP("xoris %0,%3,0xffff", xoris, "r", "r")
OP("cmpw cr1,%3,%4", cmpw, "r", "r")
OP("cmplw cr7,%3,%4", cmplw, "r", "r")
OP("cmpwi cr0,%3,-1", cmpwi, "r", "r")
OP("cmplwi cr1,%3,0xffff", cmplwi, "r", "r")
OP("cmpw cr0,%3,%4\n\tisel %0,%3,%4,0", isel_lt, "b", "r")
OP("cmpw cr0,%3,%4\n\tisel %0,%3,%4,2", isel_eq, "b", "r")
OP("cmpw cr0,%3,%4\n\tisel %0,0,%4,1", isel_r0, "b", "r")

/* XER[SO] reaches the SO bit of a compare's CR field. */
static void so_compare(void)
{
	u32 cr;
	__asm__ volatile("lis %0,0x8000\n\tmtxer %0\n\tli %0,0\n\tmtcr %0\n\tcmpwi cr3,%0,0\n\tmfcr %0"
			 : "=&r"(cr)
			 :
			 : "cr3", "xer");
	report("cmpwi+so", 0, 0, 0, cr, 0x80000000u);
}

int main(void)
{
	puts("logic_shift\n");
	for (u32 i = 0; i < NV; i++) {
		for (u32 j = 0; j < NV; j++) {
			u32 a = vals[i], b = vals[j];
			t_and_(a, b); t_and_rc(a, b); t_or_(a, b); t_or_rc(a, b); t_xor_(a, b);
			t_xor_rc(a, b); t_nand(a, b); t_nand_rc(a, b); t_nor(a, b); t_nor_rc(a, b);
			t_eqv(a, b); t_eqv_rc(a, b); t_andc(a, b); t_andc_rc(a, b); t_orc(a, b);
			t_orc_rc(a, b); t_slw(a, b); t_slw_rc(a, b); t_srw(a, b); t_srw_rc(a, b);
			t_sraw(a, b); t_sraw_rc(a, b); t_rlwnm(a, b); t_rlwnm_rc(a, b);
			t_rlwnm_mid(a, b); t_rlwnm_wrap(a, b);
			t_cmpw(a, b); t_cmplw(a, b); t_isel_lt(a, b); t_isel_eq(a, b); t_isel_r0(a, b);
		}
		u32 a = vals[i];
		t_extsb(a, 0); t_extsb_rc(a, 0); t_extsh(a, 0); t_extsh_rc(a, 0); t_cntlzw(a, 0);
		t_cntlzw_rc(a, 0); t_srawi0(a, 0); t_srawi1(a, 0); t_srawi31(a, 0); t_rlwinm_id(a, 0);
		t_rlwinm_sl5(a, 0); t_rlwinm_sr5(a, 0); t_rlwinm_wrap(a, 0); t_rlwimi_mid(a, 0);
		t_rlwimi_wrap(a, 0); t_andi(a, 0); t_andis(a, 0); t_ori(a, 0); t_oris(a, 0);
		t_xori(a, 0); t_xoris(a, 0); t_cmpwi(a, 0); t_cmplwi(a, 0);
	}
	so_compare();
	return 0;
}
