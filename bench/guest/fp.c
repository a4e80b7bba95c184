/* A little floating point (the e500mc's classic FPU, double precision):
 * 48x48 matrix products and a Newton square-root series. */
#include "bench.h"

#define N 48
#define ROUNDS 60

static double a[N][N], b[N][N], c[N][N];

static void matmul(void)
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			double s = 0.0;
			for (int k = 0; k < N; k++)
				s += a[i][k] * b[k][j];
			c[i][j] = s;
		}
}

static double newton_sqrt(double x)
{
	double g = x > 1.0 ? x / 2.0 : 1.0;
	for (int n = 0; n < 20; n++)
		g = 0.5 * (g + x / g);
	return g;
}

int main(void)
{
	mtmsr(mfmsr() | 0x2000); /* MSR[FP] */
	u32 seed = 0x1234567u;
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			a[i][j] = (double)(bench_next(&seed) & 0xffff) / 65536.0;
			b[i][j] = (double)(bench_next(&seed) & 0xffff) / 65536.0 - 0.5;
		}
	double trace = 0.0;
	for (int r = 0; r < ROUNDS; r++) {
		matmul();
		for (int i = 0; i < N; i++) {
			trace += c[i][i];
			a[i][(i + r) % N] += c[i][i] * 0.001;
		}
	}
	double roots = 0.0;
	for (int n = 1; n < 4000; n++)
		roots += newton_sqrt((double)n);
	union { double d; u64 u; } t = {trace}, s = {roots};
	/* low mantissa bits can differ in the last place only if rounding differs */
	bench_result("fp", (u32)(t.u >> 20) ^ (u32)(s.u >> 20) ^ (u32)t.u ^ (u32)s.u);
	return 0;
}
