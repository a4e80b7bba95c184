// gdb's side of a GDB remote connection, for tests that drive the stub
// packet by packet.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

#include "debug/gdb_packets.hpp"

namespace vmc::kvm::test {

// gdb's side of the connection.
class Client {
public:
    explicit Client(int fd) : fd_(fd) {}
    ~Client() { ::close(fd_); }
    // The next packet from the stub (acknowledged), skipping acks.
    std::string receive() {
        for (;;) {
            while (auto e = reader_.next()) {
                if (e->kind != debug::gdb::PacketReader::Event::Kind::Packet) continue;
                (void)::send(fd_, "+", 1, MSG_NOSIGNAL);
                return e->payload;
            }
            char buffer[4096];
            ssize_t n = ::read(fd_, buffer, sizeof buffer);
            if (n <= 0) return "<closed>";
            reader_.feed(std::string_view(buffer, size_t(n)));
        }
    }
    std::string ask(std::string_view payload) {
        std::string framed = debug::gdb::frame(payload);
        if (::write(fd_, framed.data(), framed.size()) != ssize_t(framed.size())) return "<closed>";
        return receive();
    }

private:
    int fd_;
    debug::gdb::PacketReader reader_;
};

// A register as the stub sends it (big-endian hex); gdb numbers pc 64.
inline std::string reg(Client& gdb, unsigned number) {
    return gdb.ask(fmt::format("p{:x}", number));
}
constexpr unsigned kPc = 64;

} // namespace vmc::kvm::test
