// A GDB remote-protocol stub over one connected socket. It is the engine's
// Debugger: when the machine stops, stopped() serves gdb's packets (registers,
// memory, breakpoints, threads = vCPUs) until gdb continues, steps, detaches
// or kills. While the machine runs, the socket sits in the VM's event loop so
// gdb's Ctrl-C halts it.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "debug/gdb_packets.hpp"
#include "debug/target.hpp"
#include "vmm/event_loop.hpp"

namespace vmc::debug {

class GdbStub : public Debugger {
public:
    // `events` may be null (the caller then calls poll_while_running itself);
    // `kill` ends the VM (gdb's `kill`).
    GdbStub(Target& target, vmm::EventLoop* events, std::function<void()> kill);
    ~GdbStub() override;
    GdbStub(const GdbStub&) = delete;
    GdbStub& operator=(const GdbStub&) = delete;

    // Takes a connected socket: attaches to the target and halts the machine,
    // so gdb finds it stopped. A second connection is refused by the caller.
    void connect(int fd);
    bool connected() const { return fd_ >= 0; }

    Resume stopped(Target& target, const StopEvent& event) override;

    // The socket became readable while the machine runs: Ctrl-C, or hang-up.
    void poll_while_running();

    // The machine ended with this process exit status: tell gdb and hang up.
    void exited(int status);

private:
    enum class Next { Reply, Resume, Detach, Kill };
    std::string handle(const std::string& packet, Next& next, Resume& resume);
    std::string query(const std::string& packet);
    std::string monitor(const std::string& command);
    std::string stop_reply(const StopEvent& event) const;
    std::string read_registers();
    std::string write_registers(std::string_view hex);
    std::string read_memory(std::string_view args);
    std::string write_memory(std::string_view args);
    std::string breakpoint(const std::string& packet, bool insert);
    std::string resume_packet(const std::string& packet, Next& next, Resume& resume);
    bool select_thread(std::string_view tid, unsigned& cpu) const;
    void console(std::string_view text); // `O` packet: text on gdb's console
    bool receive(bool block);            // false: the peer hung up
    void send(std::string_view payload);
    void hang_up();

    Target& target_;
    vmm::EventLoop* events_;
    std::function<void()> kill_;
    int fd_ = -1;
    gdb::PacketReader reader_;
    std::string last_sent_;
    bool ack_mode_ = true;
    bool swbreak_ = false, hwbreak_ = false; // gdb understands these stop reasons
    bool running_ = false;                   // gdb waits for a stop reply
    bool interrupted_ = false;               // the stop was asked for with Ctrl-C
    StopEvent last_stop_;
    unsigned general_cpu_ = 0;                     // Hg: registers and memory
    unsigned continue_cpu_ = 0;                    // Hc: the thread `s` steps
    AddressSpace space_ = AddressSpace::Effective; // `monitor memory physical` switches
};

} // namespace vmc::debug
