/* Branchy code: a small bytecode interpreter (switch dispatch, data-
 * dependent branches) running a Collatz-style program over many inputs. */
#include "bench.h"

enum op { LOAD_IMM, ADD, SUB, MUL3, HALVE, JZ, JODD, JMP, DEC, HALT, COUNT_STEP, JONE };

struct insn {
	u8 op, a, b;
	s32 imm;
};

/* r0 = n, r1 = steps, r2 = inputs left; computes Collatz step counts. */
static const struct insn program[] = {
	/* 0 */ {JONE, 0, 0, 6},
	/* 1 */ {JODD, 0, 0, 4},
	/* 2 */ {HALVE, 0, 0, 0},
	/* 3 */ {JMP, 0, 0, 5},
	/* 4 */ {MUL3, 0, 0, 0},
	/* 5 */ {COUNT_STEP, 1, 0, 0},
	/* 5b */ {JMP, 0, 0, 0},
	/* 7: unreachable pad */ {HALT, 0, 0, 0},
};

static u32 run(u32 n, u32 *steps)
{
	u32 r[4] = {n, 0, 0, 0};
	u32 pc = 0;
	for (;;) {
		const struct insn *i = &program[pc++];
		switch (i->op) {
		case LOAD_IMM: r[i->a] = (u32)i->imm; break;
		case ADD: r[i->a] += r[i->b]; break;
		case SUB: r[i->a] -= r[i->b]; break;
		case MUL3: r[i->a] = 3 * r[i->a] + 1; break;
		case HALVE: r[i->a] >>= 1; break;
		case JZ: if (r[i->a] == 0) pc = (u32)i->imm; break;
		case JODD: if (r[i->a] & 1) pc = (u32)i->imm; break;
		case JMP: pc = (u32)i->imm; break;
		case DEC: r[i->a]--; break;
		case COUNT_STEP: r[i->a]++; break;
		case JONE:
			if (r[i->a] == 1) {
				*steps = r[1];
				return r[0];
			}
			break;
		case HALT:
		default: *steps = r[1]; return r[0];
		}
	}
}

int main(void)
{
	u32 total = 0, longest = 0, at = 0;
	for (u32 n = 1; n < 15000; n++) {
		u32 steps = 0;
		run(n, &steps);
		total += steps;
		if (steps > longest) {
			longest = steps;
			at = n;
		}
	}
	bench_result("branchy", total ^ (longest << 16) ^ at);
	return 0;
}
