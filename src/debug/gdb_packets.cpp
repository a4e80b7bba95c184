#include "debug/gdb_packets.hpp"

#include <fmt/format.h>

namespace vmc::debug::gdb {

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

std::string frame(std::string_view payload) {
    std::string body;
    for (char c : payload) {
        if (c == '#' || c == '$' || c == '}' || c == '*') {
            body += '}';
            body += static_cast<char>(c ^ 0x20);
        } else {
            body += c;
        }
    }
    uint8_t sum = 0;
    for (char c : body)
        sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
    return fmt::format("${}#{:02x}", body, sum);
}

void PacketReader::feed(std::string_view bytes) {
    buffer_.append(bytes);
}

std::optional<PacketReader::Event> PacketReader::next() {
    while (!buffer_.empty()) {
        char c = buffer_[0];
        if (c == '\x03') {
            buffer_.erase(0, 1);
            return Event{Event::Kind::Interrupt, {}};
        }
        if (c == '+' || c == '-') {
            buffer_.erase(0, 1);
            return Event{c == '+' ? Event::Kind::Ack : Event::Kind::Nak, {}};
        }
        if (c != '$') { // noise between packets
            buffer_.erase(0, 1);
            continue;
        }
        size_t hash = buffer_.find('#');
        if (hash == std::string::npos || hash + 2 >= buffer_.size()) return std::nullopt;
        std::string_view body(buffer_.data() + 1, hash - 1);
        uint8_t sum = 0;
        for (char b : body)
            sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(b));
        int hi = hex_digit(buffer_[hash + 1]), lo = hex_digit(buffer_[hash + 2]);
        Event event{Event::Kind::Packet, {}};
        if (hi < 0 || lo < 0 || ((hi << 4) | lo) != sum) {
            event.kind = Event::Kind::BadChecksum;
        } else {
            for (size_t i = 0; i < body.size(); ++i) {
                if (body[i] == '}' && i + 1 < body.size())
                    event.payload += static_cast<char>(body[++i] ^ 0x20);
                else
                    event.payload += body[i];
            }
        }
        buffer_.erase(0, hash + 3);
        return event;
    }
    return std::nullopt;
}

std::string to_hex(std::span<const uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (uint8_t b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 15];
    }
    return out;
}

std::string to_hex(std::string_view text) {
    return to_hex(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

std::string hex_be(uint64_t value, unsigned bytes) {
    std::vector<uint8_t> out(bytes);
    for (unsigned n = 0; n < bytes; ++n)
        out[n] = static_cast<uint8_t>(value >> (8 * (bytes - 1 - n)));
    return to_hex(out);
}

std::optional<std::vector<uint8_t>> from_hex(std::string_view hex) {
    if (hex.size() % 2) return std::nullopt;
    std::vector<uint8_t> out;
    out.reserve(hex.size() / 2);
    for (size_t i = 0; i < hex.size(); i += 2) {
        int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<uint8_t>((hi << 4) | lo));
    }
    return out;
}

std::optional<uint64_t> parse_hex(std::string_view hex) {
    if (hex.empty() || hex.size() > 16) return std::nullopt;
    uint64_t value = 0;
    for (char c : hex) {
        int d = hex_digit(c);
        if (d < 0) return std::nullopt;
        value = (value << 4) | static_cast<uint64_t>(d);
    }
    return value;
}

} // namespace vmc::debug::gdb
