// --trace exec: one line per instruction, and a file that stops growing at
// its size limit with a last line that says so.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "harness.hpp"

using namespace vmc::emu;
using namespace vmc::emu::test;

namespace {
std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
} // namespace

TEST_CASE("the instruction trace stops at its size limit and says so") {
    if (!have_assembler()) return;
    auto path = (std::filesystem::temp_directory_path() /
                 ("vmc-trace-" + std::to_string(::getpid()) + ".trace"))
                    .string();
    EmuOptions options;
    options.trace_exec_path = path;
    options.trace_limit_bytes = 2000;
    {
        TestVm t(1, options);
        uint32_t end = t.load("li 3,100\nmtctr 3\n1: addi 4,4,1\nbdnz 1b");
        REQUIRE(t.run_to(end));
        CHECK(t.cpu().gpr[4] == 100); // tracing stopped, execution did not
    }
    std::string trace = read_all(path);
    std::filesystem::remove(path);
    INFO(trace.substr(0, 400));
    CHECK(trace.rfind("cpu0 pc=00010000 insn=38600064", 0) == 0);
    const std::string stop = "trace stopped: the next line would pass the 2000-byte limit\n";
    auto last = trace.rfind(stop);
    REQUIRE(last != std::string::npos);
    CHECK(last + stop.size() == trace.size());
    CHECK(last <= 2000);
}
