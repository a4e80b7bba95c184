/* Runtime for the guest test programs: UART output, exception log, power-off. */
#ifndef RT_H
#define RT_H

typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef unsigned char u8;

#define CCSR 0xe0000000u

void putc(char c);
void puts(const char *s);   /* no newline added */
void puthex(u32 v);          /* 8 hex digits */
void puthex64(u64 v);        /* 16 hex digits */
void putdec(u32 v);
void rt_poweroff(void);

/* Filled in by the exception stubs (start.S). Layout is fixed there. */
struct exc_log {
	u32 vector;  /* IVOR number */
	u32 srr0;    /* SRR0 / CSRR0 / MCSRR0 */
	u32 srr1;
	u32 esr;
	u32 dear;
	u32 count;   /* exceptions taken since start */
	u32 resume;  /* one-shot resume address for the next synchronous fault */
	u32 epr;     /* last external interrupt vector */
	u32 resume_msr; /* MSR to resume with when `resume` is used (base class only) */
	u32 klass;   /* 0 base, 1 critical, 2 machine check */
};
extern volatile struct exc_log exc_log;

/* Prints "exc v=.. srr0=+off srr1=.. esr=.. dear=.." with srr0 relative to `base`. */
void print_exc(const char *what, u32 base);

static inline u32 mfmsr(void) { u32 v; __asm__ volatile("mfmsr %0" : "=r"(v)); return v; }
static inline void mtmsr(u32 v) { __asm__ volatile("mtmsr %0; isync" : : "r"(v)); }
#define mfspr(n) ({ u32 v_; __asm__ volatile("mfspr %0, %1" : "=r"(v_) : "i"(n)); v_; })
#define mtspr(n, v) __asm__ volatile("mtspr %0, %1" : : "i"(n), "r"((u32)(v)))

static inline u32 ld32(u32 a) { u32 v; __asm__ volatile("lwz %0,0(%1)" : "=r"(v) : "b"(a) : "memory"); return v; }
static inline void st32(u32 a, u32 v) { __asm__ volatile("stw %0,0(%1); mbar" : : "r"(v), "b"(a) : "memory"); }

#endif
