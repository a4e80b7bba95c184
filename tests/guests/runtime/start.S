/*
 * Entry, exception vectors and power-off for the guest test programs.
 *
 * The loader enters at 0 with the ePAPR state (a 1:1 TLB1 mapping of low
 * RAM, MSR = 0). We map CCSR at 0xe0000000, point IVPR/IVORs at the stubs
 * below, set a stack, clear .bss and call main(). Every exception is
 * recorded in `exc_log` (see rt.h) so programs can print what happened.
 */
	.equ	SPRN_IVPR, 63
	.equ	SPRN_ESR, 62
	.equ	SPRN_DEAR, 61
	.equ	SPRN_TSR, 336
	.equ	SPRN_EPR, 702
	.equ	SPRN_MAS0, 624
	.equ	SPRN_MAS1, 625
	.equ	SPRN_MAS2, 626
	.equ	SPRN_MAS3, 627
	.equ	SPRN_MAS7, 944
	.equ	SPRN_SPRG4, 276
	.equ	SPRN_SPRG5, 277
	.equ	SPRN_SPRG6, 278
	.equ	SPRN_SPRG7, 279

	.section .text.start, "ax"
	.globl	_start
_start:
	/* CCSR (PA 0xf_e000_0000, 1 MiB) at EA 0xe0000000: TLB1[1], I|G, IPROT */
	lis	r3, 0x1001
	mtspr	SPRN_MAS0, r3
	lis	r3, 0xc000
	ori	r3, r3, 0x0500
	mtspr	SPRN_MAS1, r3
	lis	r3, 0xe000
	ori	r3, r3, 0x000a
	mtspr	SPRN_MAS2, r3
	lis	r3, 0xe000
	ori	r3, r3, 0x0005
	mtspr	SPRN_MAS3, r3
	li	r3, 0xf
	mtspr	SPRN_MAS7, r3
	isync
	tlbwe
	isync

	lis	r1, __stack_top@ha
	addi	r1, r1, __stack_top@l
	li	r0, 0
	stwu	r0, -16(r1)

	/* clear .bss */
	lis	r3, __bss_start@ha
	addi	r3, r3, __bss_start@l
	lis	r4, __bss_end@ha
	addi	r4, r4, __bss_end@l
1:	cmplw	r3, r4
	bge	2f
	stb	r0, 0(r3)
	addi	r3, r3, 1
	b	1b
2:
	/* vectors: IVPR = 0 (the stubs sit in the first 64 KiB), IVORn = stub n */
	li	r3, 0
	mtspr	SPRN_IVPR, r3
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	lis	r3, vec_\n@ha
	addi	r3, r3, vec_\n@l
	mtspr	400+\n, r3
	.endr
	.irp	n, 35,36,37
	lis	r3, vec_\n@ha
	addi	r3, r3, vec_\n@l
	mtspr	SPRN_IVOR\n, r3
	.endr
	isync

	bl	main
	bl	rt_poweroff
3:	b	3b

	.equ	SPRN_IVOR35, 531
	.equ	SPRN_IVOR36, 532
	.equ	SPRN_IVOR37, 533

/*
 * One stub per vector: r3 -> SPRG4, r3 = vector number, then common code.
 * Synchronous faults resume at exc_resume when set (one shot), else at the
 * next instruction. Asynchronous interrupts (external 4, decrementer 10,
 * FIT 11, doorbell 36) and sc (8) resume at SRR0 as is. Critical-class
 * vectors (0 critical input, 12 watchdog, 15 debug, 37 critical doorbell)
 * return with rfci; machine check (1) with rfmci.
 */
	.section .text.vectors, "ax"
	.macro	VEC n
	.balign	16
vec_\n:
	mtspr	SPRN_SPRG4, r3
	li	r3, \n
	b	exc_common
	.endm
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,35,36,37
	VEC	\n
	.endr

exc_common:
	mtspr	SPRN_SPRG5, r4
	mfcr	r4
	mtspr	SPRN_SPRG6, r4
	mtspr	SPRN_SPRG7, r0
	lis	r4, exc_log@ha
	addi	r4, r4, exc_log@l
	stw	r3, 0(r4)		/* vector */
	li	r0, 0			/* r0: 0 normal, 1 critical, 2 machine check */
	cmpwi	r3, 1
	bne	1f
	li	r0, 2
1:	cmpwi	r3, 0
	beq	.Lcrit
	cmpwi	r3, 12
	beq	.Lcrit
	cmpwi	r3, 15
	beq	.Lcrit
	cmpwi	r3, 37
	bne	1f
.Lcrit:	li	r0, 1
1:	stw	r0, 36(r4)		/* class */
	cmpwi	r0, 1
	beq	2f
	cmpwi	r0, 2
	beq	3f
	mfsrr0	r3
	stw	r3, 4(r4)
	mfsrr1	r3
	stw	r3, 8(r4)
	b	.Lsaved
2:	mfcsrr0	r3
	stw	r3, 4(r4)
	mfcsrr1	r3
	stw	r3, 8(r4)
	b	.Lsaved
3:	mfspr	r3, 570			/* MCSRR0 */
	stw	r3, 4(r4)
	mfspr	r3, 571			/* MCSRR1 */
	stw	r3, 8(r4)
.Lsaved:
	mfspr	r3, SPRN_ESR
	stw	r3, 12(r4)
	mfspr	r3, SPRN_DEAR
	stw	r3, 16(r4)
	lwz	r3, 20(r4)		/* count */
	addi	r3, r3, 1
	stw	r3, 20(r4)
	lwz	r3, 0(r4)
	cmpwi	r3, 4			/* external: vector from EPR, then EOI */
	bne	1f
	mfspr	r3, SPRN_EPR
	stw	r3, 28(r4)
	lis	r3, 0xe006		/* MPIC per-CPU 0 block at CCSR+0x60000 */
	li	r0, 0
	stw	r0, 0xb0(r3)		/* EOI */
	b	.Lreturn
1:	cmpwi	r3, 10			/* decrementer: clear TSR[DIS] */
	bne	1f
	lis	r3, 0x0800
	mtspr	SPRN_TSR, r3
	b	.Lreturn
1:	cmpwi	r3, 11			/* FIT: clear TSR[FIS] */
	bne	1f
	lis	r3, 0x0400
	mtspr	SPRN_TSR, r3
	b	.Lreturn
1:	cmpwi	r3, 36
	beq	.Lreturn
	cmpwi	r3, 8
	beq	.Lreturn
	/* synchronous fault: resume at exc_resume (one shot) or the next instruction */
	lwz	r3, 24(r4)
	cmpwi	r3, 0
	beq	5f
	lwz	r0, 36(r4)		/* base class: resume with MSR = resume_msr */
	cmpwi	r0, 0
	bne	2f
	lwz	r0, 32(r4)
	mtsrr1	r0
	b	2f
5:	lwz	r3, 4(r4)
	addi	r3, r3, 4
2:	li	r0, 0
	stw	r0, 24(r4)
	lwz	r0, 36(r4)
	cmpwi	r0, 1
	beq	3f
	cmpwi	r0, 2
	beq	4f
	mtsrr0	r3
	b	.Lreturn
3:	mtcsrr0	r3
	b	.Lreturn
4:	mtspr	570, r3
.Lreturn:
	lwz	r0, 36(r4)
	cmpwi	r0, 1
	beq	.Lrfci
	cmpwi	r0, 2
	beq	.Lrfmci
	mfspr	r4, SPRN_SPRG6
	mtcr	r4
	mfspr	r4, SPRN_SPRG5
	mfspr	r3, SPRN_SPRG4
	mfspr	r0, SPRN_SPRG7
	rfi
.Lrfci:	mfspr	r4, SPRN_SPRG6
	mtcr	r4
	mfspr	r4, SPRN_SPRG5
	mfspr	r3, SPRN_SPRG4
	mfspr	r0, SPRN_SPRG7
	rfci
.Lrfmci: mfspr	r4, SPRN_SPRG6
	mtcr	r4
	mfspr	r4, SPRN_SPRG5
	mfspr	r3, SPRN_SPRG4
	mfspr	r0, SPRN_SPRG7
	rfmci
