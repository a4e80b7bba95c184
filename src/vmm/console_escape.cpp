#include "vmm/console_escape.hpp"

namespace vmc::vmm {

namespace {

EscapeParser::Command command_of(uint8_t key) {
    switch (key | 0x20) { // either case
    case 'h':
        return EscapeParser::Command::Help;
    case 'x':
        return EscapeParser::Command::Quit;
    case 'b':
        return EscapeParser::Command::Break;
    case 'c':
        return EscapeParser::Command::Monitor;
    default:
        return EscapeParser::Command::None;
    }
}

} // namespace

EscapeParser::Result EscapeParser::parse(std::span<const uint8_t> in, std::vector<uint8_t>& out) {
    for (size_t i = 0; i < in.size(); ++i) {
        uint8_t c = in[i];
        if (!escape_) {
            if (c == kEscape)
                escape_ = true;
            else
                out.push_back(c);
            continue;
        }
        escape_ = false;
        if (c == kEscape) {
            out.push_back(c);
            continue;
        }
        if (Command command = command_of(c); command != Command::None) return {command, i + 1};
    }
    return {Command::None, in.size()};
}

std::string_view EscapeParser::help() {
    return "C-a h    print this help\n"
           "C-a x    exit vmcompose\n"
           "C-a b    send a break on the console line (Linux: SysRq, then the command key)\n"
           "C-a c    switch between the console and the monitor\n"
           "C-a C-a  send C-a\n";
}

} // namespace vmc::vmm
