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
    read_benchmark();
    cpu_benchmark();
    idle_for_a_while();
    show_file("/proc/uptime");
    end_machine();
    return 0;
}
