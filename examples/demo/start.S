/*
 * Entry and exception vectors of the bare-metal demo (e500mc, Book E).
 *
 * Entered per ePAPR: r3 = device tree, MSR = 0, TLB1[0] maps EA 0 = PA 0.
 * Sets up its own stack, zeroes .bss, points IVPR/IVORs at the vectors
 * below and calls demo_main(dtb), which maps the devices it finds in the
 * device tree. The decrementer and external-interrupt vectors save the
 * volatile registers and call C; the machine-check vector skips the
 * faulting load so the C code can probe addresses that may have no device
 * behind them.
 */
	.equ	SPRN_SRR0, 26
	.equ	SPRN_SRR1, 27
	.equ	SPRN_IVPR, 63
	.equ	SPRN_SPRG0, 272
	.equ	SPRN_SPRG1, 273
	.equ	SPRN_IVOR0, 400
	.equ	SPRN_MCSRR0, 570
	.equ	SPRN_MCSR, 572

	.equ	FRAME, 112		/* exception frame, 16-byte multiple */
	.equ	SKIP, 256		/* left untouched below the interrupted r1 */

	.section .text.start, "ax"
	.globl	_start
_start:
	mr	r31, r3			/* keep the DTB address */
	lis	r1, __stack_top@h
	ori	r1, r1, __stack_top@l
	li	r0, 0
	stwu	r0, -16(r1)		/* terminate the back chain */

	/* zero .bss (the loader zero-fills too, but a restart may not) */
	lis	r4, __bss_start@h
	ori	r4, r4, __bss_start@l
	lis	r5, __stack_bottom@h
	ori	r5, r5, __stack_bottom@l
1:	cmplw	r4, r5
	bge	2f
	stw	r0, 0(r4)
	addi	r4, r4, 4
	b	1b
2:
	/* exception vectors: IVPR = 0 (we are linked at 0), one IVOR each */
	li	r4, 0
	mtspr	SPRN_IVPR, r4
	.irp	n, 0,2,3,5,6,7,8,9,11,12,13,14,15
	li	r4, vec_fatal_\n@l
	mtspr	SPRN_IVOR0 + \n, r4
	.endr
	li	r4, vec_machine_check@l
	mtspr	SPRN_IVOR0 + 1, r4
	li	r4, vec_external@l
	mtspr	SPRN_IVOR0 + 4, r4
	li	r4, vec_decrementer@l
	mtspr	SPRN_IVOR0 + 10, r4
	isync

	mr	r3, r31
	bl	demo_main
3:	wait
	b	3b

/* Save everything C may clobber, call \handler, restore, return with \rfi. */
	.macro	C_HANDLER name, handler
	.align	4
\name:
	stwu	r1, -(FRAME + SKIP)(r1)
	stw	r0, 8(r1)
	.irp	r, 3,4,5,6,7,8,9,10,11,12
	stw	r\r, (4 * \r + 8)(r1)
	.endr
	mflr	r0
	stw	r0, 60(r1)
	mfcr	r0
	stw	r0, 64(r1)
	mfctr	r0
	stw	r0, 68(r1)
	mfxer	r0
	stw	r0, 72(r1)
	mfspr	r0, SPRN_SRR0
	stw	r0, 76(r1)
	mfspr	r0, SPRN_SRR1
	stw	r0, 80(r1)
	bl	\handler
	lwz	r0, 80(r1)
	mtspr	SPRN_SRR1, r0
	lwz	r0, 76(r1)
	mtspr	SPRN_SRR0, r0
	lwz	r0, 72(r1)
	mtxer	r0
	lwz	r0, 68(r1)
	mtctr	r0
	lwz	r0, 64(r1)
	mtcr	r0
	lwz	r0, 60(r1)
	mtlr	r0
	.irp	r, 3,4,5,6,7,8,9,10,11,12
	lwz	r\r, (4 * \r + 8)(r1)
	.endr
	lwz	r0, 8(r1)
	addi	r1, r1, FRAME + SKIP
	rfi
	.endm

	.section .vectors, "ax"
	C_HANDLER vec_decrementer, on_decrementer
	C_HANDLER vec_external, on_external

/* A load from an address with no device: count it, skip the instruction. */
	.align	4
vec_machine_check:
	mtspr	SPRN_SPRG0, r3
	mtspr	SPRN_SPRG1, r4
	mfspr	r3, SPRN_MCSRR0
	addi	r3, r3, 4
	mtspr	SPRN_MCSRR0, r3
	mfspr	r3, SPRN_MCSR
	mtspr	SPRN_MCSR, r3		/* write-one-to-clear what was reported */
	lis	r3, machine_checks@ha
	lwz	r4, machine_checks@l(r3)
	addi	r4, r4, 1
	stw	r4, machine_checks@l(r3)
	mfspr	r4, SPRN_SPRG1
	mfspr	r3, SPRN_SPRG0
	rfmci

/* Anything else is a bug in the demo (or the machine): report and stop. */
	.irp	n, 0,2,3,5,6,7,8,9,11,12,13,14,15
	.align	4
vec_fatal_\n:
	li	r3, \n
	b	fatal_entry
	.endr
fatal_entry:
	mfspr	r4, SPRN_SRR0
	mfspr	r5, SPRN_SRR1
	lis	r1, __stack_top@h
	ori	r1, r1, __stack_top@l
	subi	r1, r1, 64
	bl	on_fatal
4:	b	4b

	.section .note.GNU-stack, "", @progbits
