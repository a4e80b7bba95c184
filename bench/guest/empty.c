/* No work at all: the start-up and power-off cost of a benchmark program,
 * which scripts/bench subtracts to get the time spent computing. */
#include "bench.h"

int main(void)
{
	bench_result("empty", 0);
	return 0;
}
