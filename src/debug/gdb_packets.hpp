// The framing of the GDB remote serial protocol: `$payload#checksum`
// packets, `+`/`-` acknowledgements, the out-of-band Ctrl-C byte, and the
// hex encodings payloads use.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vmc::debug::gdb {

// `$payload#xx` with '#', '$', '}' and '*' escaped as the protocol requires.
std::string frame(std::string_view payload);

// Splits a byte stream into what the peer sent. Bytes may arrive in any pieces.
class PacketReader {
public:
    struct Event {
        enum class Kind { Packet, Interrupt, Ack, Nak, BadChecksum };
        Kind kind;
        std::string payload; // Packet: unescaped
    };
    void feed(std::string_view bytes);
    // The next complete event, or nullopt until more bytes arrive.
    std::optional<Event> next();

private:
    std::string buffer_;
};

std::string to_hex(std::span<const uint8_t> bytes);
std::string to_hex(std::string_view text);
// Big-endian `bytes`-wide value as hex (register values travel in target order).
std::string hex_be(uint64_t value, unsigned bytes);
// nullopt on odd length or a non-hex digit.
std::optional<std::vector<uint8_t>> from_hex(std::string_view hex);
// A hexadecimal number (no prefix); nullopt when empty or invalid.
std::optional<uint64_t> parse_hex(std::string_view hex);

} // namespace vmc::debug::gdb
