/*
 * /init of the vmcompose Linux test guest.
 *
 * Reports what the guest sees on the console, one tagged line per fact, so
 * tests can check a boot by matching lines that start with
 * "VMCOMPOSE-GUEST: ": the kernel's view of the CPUs, interrupts and
 * memory map, the first bytes of the virtio disk, a line on the virtio
 * console, and then it ends the machine.
 *
 * Kernel command line:
 *   vmcompose.off=auto|poweroff|reboot|halt   how to end (default auto:
 *       power off when a gpio-poweroff driver is bound, else reboot)
 *   vmcompose.net=GUEST_IP,HOST_IP,PORT       bring eth0 up as GUEST_IP/24,
 *       send a UDP datagram to HOST_IP:PORT and report the reply
 *   vmcompose.usernet=OUT_PORT,IN_PORT,TFTP_FILE  on a user-mode network:
 *       DHCP for eth0, a TCP exchange with the gateway's OUT_PORT, one
 *       accepted TCP connection on IN_PORT, a TFTP read of TFTP_FILE
 *   vmcompose.readbench=DEVICE                read DEVICE (e.g. /dev/vda) from
 *       start to end and report its size, the time taken and MiB/s
 *   vmcompose.idle=SECONDS                    sleep that long before ending
 *       (what an idle guest costs the host)
 *   vmcompose.bench=1                         time an integer loop and a
 *       memory loop in user space and report their checksums and elapsed_ms
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define TAG "VMCOMPOSE-GUEST: "

/* One write per line keeps lines whole when the kernel logs concurrently. */
static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int len = snprintf(line, sizeof line, TAG);
    va_start(ap, fmt);
    len += vsnprintf(line + len, sizeof line - (size_t)len - 1, fmt, ap);
    va_end(ap);
    if (len > (int)sizeof line - 2)
        len = (int)sizeof line - 2;
    line[len++] = '\n';
    (void)!write(STDOUT_FILENO, line, (size_t)len);
}

static void mount_fs(const char *type, const char *dir)
{
    mkdir(dir, 0755);
    if (mount(type, dir, type, 0, NULL) != 0 && errno != EBUSY)
        report("mount %s on %s failed: %s", type, dir, strerror(errno));
}

/* Prints a file line by line, each tagged with the file's name. */
static void show_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    if (!f) {
        report("%s: %s", path, strerror(errno));
        return;
    }
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        report("%s: %s", path, line);
    }
    fclose(f);
}

static void show_disk(void)
{
    unsigned char buf[64];
    int fd = open("/dev/vda", O_RDONLY);
    if (fd < 0) {
        report("/dev/vda: %s", strerror(errno));
        return;
    }
    ssize_t got = read(fd, buf, sizeof buf);
    close(fd);
    if (got < 0) {
        report("/dev/vda: read failed: %s", strerror(errno));
        return;
    }
    for (ssize_t row = 0; row < got; row += 16) {
        char hex[64] = "", text[17] = "";
        for (ssize_t i = row; i < row + 16 && i < got; ++i) {
            snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "%02x ", buf[i]);
            text[i - row] = (buf[i] >= 0x20 && buf[i] < 0x7f) ? (char)buf[i] : '.';
        }
        report("vda %04zx: %s|%s|", row, hex, text);
    }
    /* The disk's label: its leading printable characters, for tests to match. */
    int label = 0;
    while (label < got && buf[label] >= 0x20 && buf[label] < 0x7f)
        ++label;
    report("vda text: %.*s", label, (const char *)buf);
}

static void greet_hvc0(void)
{
    static const char msg[] = TAG "hello on hvc0\n";
    int fd = open("/dev/hvc0", O_WRONLY | O_NOCTTY);
    if (fd < 0) {
        report("/dev/hvc0: %s", strerror(errno));
        return;
    }
    if (write(fd, msg, sizeof msg - 1) == (ssize_t)(sizeof msg - 1))
        report("wrote a line to /dev/hvc0");
    else
        report("/dev/hvc0: write failed: %s", strerror(errno));
    close(fd);
}

/* The value of key=VALUE on the kernel command line, or fallback. */
static const char *cmdline_value(const char *key, char *out, size_t size, const char *fallback)
{
    char cmdline[1024] = "";
    FILE *f = fopen("/proc/cmdline", "r");
    if (f) {
        if (!fgets(cmdline, sizeof cmdline, f))
            cmdline[0] = '\0';
        fclose(f);
    }
    size_t klen = strlen(key);
    for (char *word = strtok(cmdline, " \n"); word; word = strtok(NULL, " \n")) {
        if (strncmp(word, key, klen) == 0 && word[klen] == '=') {
            snprintf(out, size, "%s", word + klen + 1);
            return out;
        }
    }
    return fallback;
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sequential read throughput of a block device, as `dd bs=1M` measures it
 * (through the page cache, which is cold because nothing read it before). */
static void read_benchmark(void)
{
    static char chunk[1 << 20];
    char device[128];
    if (!cmdline_value("vmcompose.readbench", device, sizeof device, NULL))
        return;
    int fd = open(device, O_RDONLY);
    if (fd < 0) {
        report("readbench: %s: %s", device, strerror(errno));
        return;
    }
    unsigned long long total = 0;
    double start = seconds_now();
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0) {
            report("readbench: %s: read failed after %llu bytes: %s", device, total,
                   strerror(errno));
            close(fd);
            return;
        }
        if (got == 0)
            break;
        total += (unsigned long long)got;
    }
    double elapsed = seconds_now() - start;
    close(fd);
    report("readbench: %s: %llu bytes in %.0f ms, %.1f MiB/s", device, total, elapsed * 1e3,
           elapsed > 0 ? (double)total / (1 << 20) / elapsed : 0.0);
}

/* User-space CPU benchmark: the same work on every emulator, so checksums
 * must agree and elapsed_ms compares their speed. The integer loop is
 * register-only (shifts, multiply, rotate); the memory loop walks a 1 MiB
 * array with an odd stride, so every word is loaded and stored each pass. */
static unsigned int integer_loop(unsigned int state)
{
    unsigned int mix = 0x6a09e667u;
    for (unsigned int round = 0; round < (1u << 23); round++) {
        state ^= state << 7;
        state ^= state >> 9;
        mix = (mix + (state ^ round)) * 0x01000193u;
        mix = (mix >> 11) | (mix << 21);
    }
    return mix ^ state;
}

static unsigned int memory_loop(void)
{
    enum { WORDS = 1u << 18, PASSES = 16, STRIDE = 97 };
    static unsigned int words[WORDS];
    unsigned int sum = 0;
    for (unsigned int i = 0; i < WORDS; i++)
        words[i] = i * 0x9e3779b1u;
    for (unsigned int pass = 0; pass < PASSES; pass++) {
        unsigned int at = pass;
        for (unsigned int i = 0; i < WORDS; i++) {
            at = (at + STRIDE) & (WORDS - 1);
            unsigned int value = words[at] + sum;
            words[at] = value ^ pass;
            sum += value >> 2;
        }
    }
    return sum;
}

static void cpu_benchmark(void)
{
    char on[8];
    if (strcmp(cmdline_value("vmcompose.bench", on, sizeof on, "0"), "1") != 0)
        return;
    double t0 = seconds_now();
    unsigned int a = integer_loop(0x2545f491u);
    double t1 = seconds_now();
    unsigned int b = memory_loop();
    double t2 = seconds_now();
    report("bench int: checksum=0x%08x elapsed_ms=%.0f", a, (t1 - t0) * 1e3);
    report("bench mem: checksum=0x%08x elapsed_ms=%.0f", b, (t2 - t1) * 1e3);
    report("bench total: checksum=0x%08x elapsed_ms=%.0f", a ^ b, (t2 - t0) * 1e3);
}

static void idle_for_a_while(void)
{
    char seconds[16];
    if (!cmdline_value("vmcompose.idle", seconds, sizeof seconds, NULL))
        return;
    report("idle for %s s", seconds);
    sleep((unsigned int)atoi(seconds));
    report("idle done");
}

static int set_ipv4(int sock, const char *ifname, unsigned long request, const char *ip)
{
    struct ifreq ifr;
    struct sockaddr_in *addr = (struct sockaddr_in *)&ifr.ifr_addr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
    addr->sin_family = AF_INET;
    if (inet_pton(AF_INET, ip, &addr->sin_addr) != 1)
        return -1;
    return ioctl(sock, request, &ifr);
}

/* Configures eth0 by hand (no DHCP, no tools in this initramfs), then one
 * UDP round trip to the host through virtio-net. */
static void check_network(void)
{
    char spec[96], guest_ip[32], host_ip[32];
    unsigned port;
    if (!cmdline_value("vmcompose.net", spec, sizeof spec, NULL))
        return;
    if (sscanf(spec, "%31[^,],%31[^,],%u", guest_ip, host_ip, &port) != 3) {
        report("net: bad vmcompose.net=%s (expected GUEST_IP,HOST_IP,PORT)", spec);
        return;
    }
    show_file("/sys/class/net/eth0/address");
    int sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (sock < 0) {
        report("net: socket: %s", strerror(errno));
        return;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "eth0");
    ifr.ifr_flags = IFF_UP;
    if (set_ipv4(sock, "eth0", SIOCSIFADDR, guest_ip) != 0 ||
        set_ipv4(sock, "eth0", SIOCSIFNETMASK, "255.255.255.0") != 0 ||
        ioctl(sock, SIOCSIFFLAGS, &ifr) != 0) {
        report("net: configuring eth0: %s", strerror(errno));
        close(sock);
        return;
    }
    struct timeval timeout = {5, 0};
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    struct sockaddr_in host;
    memset(&host, 0, sizeof host);
    host.sin_family = AF_INET;
    host.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host_ip, &host.sin_addr);
    static const char ping[] = "ping from the vmcompose guest";
    char reply[128];
    /* The first datagram may wait for ARP; retry a few times. */
    for (int attempt = 1; attempt <= 3; ++attempt) {
        if (sendto(sock, ping, sizeof ping - 1, 0, (struct sockaddr *)&host, sizeof host) < 0) {
            report("net: sendto: %s", strerror(errno));
            break;
        }
        ssize_t n = recv(sock, reply, sizeof reply - 1, 0);
        if (n >= 0) {
            reply[n] = '\0';
            report("net reply: %s", reply);
            close(sock);
            return;
        }
        report("net: no reply (attempt %d): %s", attempt, strerror(errno));
    }
    close(sock);
}

/* ---- user-mode network: DHCP, TCP both ways, TFTP (vmcompose.usernet) ---- */

enum { DHCP_DISCOVER = 1, DHCP_OFFER = 2, DHCP_REQUEST = 3, DHCP_ACK = 5 };

struct dhcp_packet {
    unsigned char op, htype, hlen, hops;
    uint32_t xid;
    uint16_t secs, flags;
    uint32_t ciaddr, yiaddr, siaddr, giaddr;
    unsigned char chaddr[16], sname[64], file[128];
    uint32_t magic;
    unsigned char options[312];
};

struct dhcp_lease {
    struct in_addr address, netmask, router, dns, server;
};

static int eth0_mac(unsigned char mac[6])
{
    unsigned int b[6];
    char path[] = "/sys/class/net/eth0/address";
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int n = fscanf(f, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]);
    fclose(f);
    for (int i = 0; i < 6; ++i)
        mac[i] = (unsigned char)b[i];
    return n == 6 ? 0 : -1;
}

static void dhcp_send(int sock, int type, const unsigned char mac[6], const struct dhcp_lease *offer)
{
    struct dhcp_packet p;
    memset(&p, 0, sizeof p);
    p.op = 1;
    p.htype = 1;
    p.hlen = 6;
    p.xid = htonl(0x766d6331);
    p.flags = htons(0x8000); /* replies broadcast: eth0 has no address yet */
    memcpy(p.chaddr, mac, 6);
    p.magic = htonl(0x63825363);
    unsigned char *o = p.options;
    *o++ = 53, *o++ = 1, *o++ = (unsigned char)type;
    if (offer) {
        *o++ = 50, *o++ = 4, memcpy(o, &offer->address, 4), o += 4;
        *o++ = 54, *o++ = 4, memcpy(o, &offer->server, 4), o += 4;
    }
    *o++ = 255;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(67)};
    to.sin_addr.s_addr = htonl(INADDR_BROADCAST);
    if (sendto(sock, &p, sizeof p, 0, (struct sockaddr *)&to, sizeof to) < 0)
        report("dhcp: sendto: %s", strerror(errno));
}

/* Waits for a reply of `type` to our transaction and reads the lease from it. */
static int dhcp_receive(int sock, int type, struct dhcp_lease *lease)
{
    struct dhcp_packet p;
    for (;;) {
        memset(&p, 0, sizeof p);
        ssize_t n = recv(sock, &p, sizeof p, 0);
        if (n < 0)
            return -1;
        if (n < 240 || p.op != 2 || p.xid != htonl(0x766d6331) || p.magic != htonl(0x63825363))
            continue;
        int got_type = 0;
        memset(lease, 0, sizeof *lease);
        lease->address.s_addr = p.yiaddr;
        for (unsigned char *o = p.options; o < (unsigned char *)&p + n && *o != 255;) {
            if (*o == 0) {
                ++o;
                continue;
            }
            unsigned char code = o[0], len = o[1], *v = o + 2;
            if (code == 53 && len == 1)
                got_type = v[0];
            else if (code == 1 && len == 4)
                memcpy(&lease->netmask, v, 4);
            else if (code == 3 && len >= 4)
                memcpy(&lease->router, v, 4);
            else if (code == 6 && len >= 4)
                memcpy(&lease->dns, v, 4);
            else if (code == 54 && len == 4)
                memcpy(&lease->server, v, 4);
            o += 2 + len;
        }
        if (got_type == type)
            return 0;
    }
}

static int set_ipv4_addr(int sock, const char *ifname, unsigned long request, struct in_addr a)
{
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a, text, sizeof text);
    return set_ipv4(sock, ifname, request, text);
}

/* DHCP on eth0 through a UDP socket bound to it: discover, request, configure. */
static int dhcp_eth0(struct dhcp_lease *lease)
{
    unsigned char mac[6];
    if (eth0_mac(mac) != 0) {
        report("dhcp: no eth0");
        return -1;
    }
    int sock = socket(AF_INET, SOCK_DGRAM, 0);
    int on = 1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "eth0");
    ifr.ifr_flags = IFF_UP;
    if (ioctl(sock, SIOCSIFFLAGS, &ifr) != 0) {
        report("dhcp: bringing eth0 up: %s", strerror(errno));
        close(sock);
        return -1;
    }
    struct sockaddr_in any = {.sin_family = AF_INET, .sin_port = htons(68)};
    struct timeval timeout = {3, 0};
    setsockopt(sock, SOL_SOCKET, SO_BROADCAST, &on, sizeof on);
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    setsockopt(sock, SOL_SOCKET, SO_BINDTODEVICE, "eth0", 5);
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (bind(sock, (struct sockaddr *)&any, sizeof any) != 0) {
        report("dhcp: bind: %s", strerror(errno));
        close(sock);
        return -1;
    }
    int ok = -1;
    for (int attempt = 1; attempt <= 3 && ok != 0; ++attempt) {
        struct dhcp_lease offer;
        dhcp_send(sock, DHCP_DISCOVER, mac, NULL);
        if (dhcp_receive(sock, DHCP_OFFER, &offer) != 0) {
            report("dhcp: no offer (attempt %d)", attempt);
            continue;
        }
        dhcp_send(sock, DHCP_REQUEST, mac, &offer);
        if (dhcp_receive(sock, DHCP_ACK, lease) != 0) {
            report("dhcp: no ack (attempt %d)", attempt);
            continue;
        }
        ok = 0;
    }
    if (ok == 0 && (set_ipv4_addr(sock, "eth0", SIOCSIFADDR, lease->address) != 0 ||
                    set_ipv4_addr(sock, "eth0", SIOCSIFNETMASK, lease->netmask) != 0)) {
        report("dhcp: configuring eth0: %s", strerror(errno));
        ok = -1;
    }
    close(sock);
    if (ok == 0) {
        char a[INET_ADDRSTRLEN], m[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &lease->address, a, sizeof a);
        inet_ntop(AF_INET, &lease->netmask, m, sizeof m);
        inet_ntop(AF_INET, &lease->router, r, sizeof r);
        inet_ntop(AF_INET, &lease->dns, d, sizeof d);
        report("dhcp: address %s netmask %s router %s dns %s", a, m, r, d);
    }
    return ok;
}

/* Connects to the gateway's port, sends a line and reports the answer. */
static void tcp_to_host(struct in_addr gateway, unsigned port)
{
    static const char hello[] = "hello from the guest over the user network\n";
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr = gateway};
    struct timeval timeout = {10, 0};
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (connect(sock, (struct sockaddr *)&to, sizeof to) != 0) {
        report("tcp out: connect: %s", strerror(errno));
        close(sock);
        return;
    }
    char reply[256];
    ssize_t n = -1;
    if (write(sock, hello, sizeof hello - 1) == (ssize_t)(sizeof hello - 1))
        n = read(sock, reply, sizeof reply - 1);
    if (n < 0) {
        report("tcp out: no answer: %s", strerror(errno));
    } else {
        reply[n] = '\0';
        reply[strcspn(reply, "\n")] = '\0';
        report("tcp out reply: %s", reply);
    }
    close(sock);
}

/* Accepts one connection on port, answers its first line. */
static void tcp_from_host(unsigned port)
{
    int listener = socket(AF_INET, SOCK_STREAM, 0), on = 1;
    struct sockaddr_in at = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (bind(listener, (struct sockaddr *)&at, sizeof at) != 0 || listen(listener, 1) != 0) {
        report("tcp in: listen on %u: %s", port, strerror(errno));
        close(listener);
        return;
    }
    report("tcp in: listening on %u", port);
    struct pollfd pfd = {.fd = listener, .events = POLLIN};
    if (poll(&pfd, 1, 60000) != 1) {
        report("tcp in: nobody connected");
        close(listener);
        return;
    }
    int conn = accept(listener, NULL, NULL);
    close(listener);
    char line[256];
    struct timeval timeout = {10, 0};
    setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ssize_t n = read(conn, line, sizeof line - 1);
    if (n <= 0) {
        report("tcp in: read: %s", n < 0 ? strerror(errno) : "end of stream");
        close(conn);
        return;
    }
    line[n] = '\0';
    line[strcspn(line, "\n")] = '\0';
    report("tcp in got: %s", line);
    char answer[300];
    int len = snprintf(answer, sizeof answer, "guest heard: %s\n", line);
    if (write(conn, answer, (size_t)len) != len)
        report("tcp in: write: %s", strerror(errno));
    close(conn);
}

/* Reads `file` from the gateway's TFTP server (RFC 1350, octet mode) and
 * reports its size, FNV-1a hash and first line. */
static void tftp_get(struct in_addr server, const char *file)
{
    int sock = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(69), .sin_addr = server};
    struct timeval timeout = {5, 0};
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    unsigned char packet[4 + 512];
    int len = snprintf((char *)packet + 2, sizeof packet - 2, "%s%coctet", file, 0) + 3;
    packet[0] = 0, packet[1] = 1; /* RRQ */
    if (sendto(sock, packet, (size_t)len, 0, (struct sockaddr *)&to, sizeof to) < 0) {
        report("tftp: sendto: %s", strerror(errno));
        close(sock);
        return;
    }
    unsigned long total = 0;
    uint32_t hash = 2166136261u;
    char first[128] = "";
    unsigned block = 1;
    for (;;) {
        struct sockaddr_in from;
        socklen_t from_len = sizeof from;
        ssize_t n = recvfrom(sock, packet, sizeof packet, 0, (struct sockaddr *)&from, &from_len);
        if (n < 0) {
            report("tftp: %s: no data after %lu bytes: %s", file, total, strerror(errno));
            break;
        }
        if (n >= 4 && packet[1] == 5) {
            report("tftp: %s: error %u: %.*s", file, packet[2] << 8 | packet[3], (int)n - 4,
                   (char *)packet + 4);
            break;
        }
        if (n < 4 || packet[1] != 3 || (unsigned)(packet[2] << 8 | packet[3]) != block)
            continue;
        if (total == 0) {
            size_t line = 0;
            while (line < sizeof first - 1 && line < (size_t)n - 4 && packet[4 + line] != '\n')
                ++line;
            memcpy(first, packet + 4, line);
            first[line] = '\0';
        }
        for (ssize_t i = 4; i < n; ++i)
            hash = (hash ^ packet[i]) * 16777619u;
        total += (unsigned long)(n - 4);
        unsigned char ack[4] = {0, 4, packet[2], packet[3]};
        sendto(sock, ack, sizeof ack, 0, (struct sockaddr *)&from, from_len);
        if (n < 4 + 512) {
            report("tftp: %s: %lu bytes, fnv1a 0x%08x, first line: %s", file, total, hash, first);
            break;
        }
        ++block;
    }
    close(sock);
}

static void check_user_network(void)
{
    char spec[128], file[96];
    unsigned out_port, in_port;
    if (!cmdline_value("vmcompose.usernet", spec, sizeof spec, NULL))
        return;
    if (sscanf(spec, "%u,%u,%95s", &out_port, &in_port, file) != 3) {
        report("usernet: bad vmcompose.usernet=%s (expected OUT_PORT,IN_PORT,TFTP_FILE)", spec);
        return;
    }
    struct dhcp_lease lease;
    if (dhcp_eth0(&lease) != 0)
        return;
    tcp_to_host(lease.router, out_port);
    tftp_get(lease.router, file);
    tcp_from_host(in_port);
}

static int poweroff_driver_bound(void)
{
    DIR *d = opendir("/sys/bus/platform/drivers/poweroff-gpio");
    struct dirent *e;
    int bound = 0;
    if (!d)
        return 0;
    /* Besides bind/unbind/uevent files, a bound driver's directory holds a
     * symbolic link per device it drives ("module" links to the driver's
     * module and does not count). */
    while ((e = readdir(d)) != NULL)
        if (e->d_type == DT_LNK && strcmp(e->d_name, "module") != 0)
            bound = 1;
    closedir(d);
    return bound;
}

static void end_machine(void)
{
    char buf[32];
    const char *method = cmdline_value("vmcompose.off", buf, sizeof buf, "auto");
    if (strcmp(method, "auto") == 0)
        method = poweroff_driver_bound() ? "poweroff" : "reboot";
    report("powering off (method: %s)", method);
    sync();
    if (strcmp(method, "reboot") == 0)
        reboot(RB_AUTOBOOT);
    else if (strcmp(method, "halt") == 0)
        reboot(RB_HALT_SYSTEM);
    else
        reboot(RB_POWER_OFF);
    report("reboot() returned: %s", strerror(errno));
    for (;;)
        pause();
}

int main(void)
{
    /* With no /dev/console in the archive, stdout would go nowhere. */
    if (fcntl(STDOUT_FILENO, F_GETFD) < 0) {
        mount_fs("devtmpfs", "/dev");
        int fd = open("/dev/console", O_RDWR | O_NOCTTY);
        if (fd >= 0) {
            dup2(fd, 0);
            dup2(fd, 1);
            dup2(fd, 2);
        }
    }
    report("init started");
    mount_fs("proc", "/proc");
    mount_fs("sysfs", "/sys");
    mount_fs("devtmpfs", "/dev");

    show_file("/proc/uptime");
    show_file("/proc/cpuinfo");
    show_file("/proc/interrupts");
    show_file("/proc/cmdline");
    show_file("/proc/iomem");
    show_disk();
    greet_hvc0();
    check_network();
    check_user_network();
    read_benchmark();
    cpu_benchmark();
    idle_for_a_while();
    show_file("/proc/uptime");
    end_machine();
    return 0;
}
