/* Integer mix: quicksort (median of three, insertion sort for short runs)
 * of 64 Ki pseudo-random words, several rounds, each checked for order. */
#include "bench.h"

#define COUNT (64u * 1024u)
#define ROUNDS 6u

static u32 data[COUNT];

static void insertion_sort(u32 *a, int n)
{
	for (int i = 1; i < n; i++) {
		u32 v = a[i];
		int j = i - 1;
		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static void swap(u32 *a, u32 *b)
{
	u32 t = *a;
	*a = *b;
	*b = t;
}

static void quicksort(u32 *a, int n)
{
	while (n > 16) {
		int mid = n / 2;
		if (a[mid] < a[0])
			swap(&a[mid], &a[0]);
		if (a[n - 1] < a[0])
			swap(&a[n - 1], &a[0]);
		if (a[n - 1] < a[mid])
			swap(&a[n - 1], &a[mid]);
		u32 pivot = a[mid];
		int i = 0, j = n - 1;
		for (;;) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i >= j)
				break;
			swap(&a[i], &a[j]);
			i++;
			j--;
		}
		/* recurse into the smaller part, loop on the larger */
		if (j + 1 < n - j - 1) {
			quicksort(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			quicksort(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	insertion_sort(a, n);
}

int main(void)
{
	u32 seed = 0x2545f491u, sum = 0, disorder = 0;
	for (u32 round = 0; round < ROUNDS; round++) {
		for (u32 n = 0; n < COUNT; n++)
			data[n] = bench_next(&seed) % (round & 1 ? 1000u : 0xffffffffu);
		quicksort(data, COUNT);
		for (u32 n = 1; n < COUNT; n++)
			disorder += data[n - 1] > data[n];
		for (u32 n = 0; n < COUNT; n += 97)
			sum = sum * 31u + data[n];
	}
	bench_result("sort", sum ^ disorder);
	return 0;
}
