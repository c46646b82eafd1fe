/* SPDX-License-Identifier: MIT */
/*
 * Guest-side helper of the driver checks (driver_checks.py): exercises one
 * virtio-serial port device and prints one result line per command.
 *
 *   vport-check openloop DEV N      open and close N times
 *   vport-check busy DEV            a second open while open: EBUSY
 *   vport-check poll DEV MS         poll IN|OUT once: "POLL in out hup"
 *   vport-check waitpoll DEV MS WANT...  poll until each WANT in turn
 *                                   (in, hup, nohup): "WAITPOLL got WANT"
 *   vport-check nbread DEV          non-blocking read: "NBREAD rc errno"
 *   vport-check write DEV BYTES     write a pattern (blocking): "WROTE n s"
 *   vport-check read DEV BYTES      read and check the pattern: "READ n ok"
 *   vport-check sigio DEV MS        SIGIO on data from the host: "SIGIO 1"
 *   vport-check block DEV           one reader and one writer that block
 *                                   until the port goes: "BLOCKED r w"
 *   vport-check lateread DEV FIFO   open, wait for a line on FIFO, then
 *                                   read until 2 data bytes (and what poll
 *                                   then says is readable) or 3 ends of
 *                                   file: "LATE opened", then "LATE SEQ"
 *                                   with the bytes read and '|' per end of
 *                                   file
 *
 * The pattern: byte i is (i * 7 + i / 4096) & 0xff.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned char pat(unsigned long long i)
{
	return (unsigned char)((i * 7 + i / 4096) & 0xff);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int open_port(const char *dev, int flags)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC | O_NOCTTY | flags);

	if (fd < 0)
		printf("OPEN failed %s\n", strerror(errno));
	return fd;
}

static int cmd_openloop(const char *dev, int n)
{
	int i, bad = 0, first_errno = 0;

	for (i = 0; i < n; i++) {
		int fd = open(dev, O_RDWR | O_CLOEXEC | O_NOCTTY);

		if (fd < 0) {
			if (!bad++)
				first_errno = errno;
			continue;
		}
		if (close(fd) < 0 && !bad++)
			first_errno = errno;
	}
	printf("OPENLOOP %d %d %s\n", n, bad, bad ? strerror(first_errno) : "-");
	return bad != 0;
}

static int cmd_busy(const char *dev)
{
	int fd = open_port(dev, 0), fd2, e;

	if (fd < 0)
		return 1;
	fd2 = open(dev, O_RDWR | O_CLOEXEC | O_NOCTTY);
	e = errno;
	printf("BUSY %s\n", fd2 < 0 ? strerrorname_np(e) : "opened");
	if (fd2 >= 0)
		close(fd2);
	close(fd);
	return fd2 >= 0;
}

static void print_poll(const char *tag, short re)
{
	printf("%s%s%s%s%s\n", tag, re & POLLIN ? " in" : "",
	       re & POLLOUT ? " out" : "", re & POLLHUP ? " hup" : "",
	       re & POLLERR ? " err" : "");
}

static int cmd_poll(const char *dev, int ms)
{
	struct pollfd p;
	int fd = open_port(dev, O_NONBLOCK);

	if (fd < 0)
		return 1;
	p = (struct pollfd){ .fd = fd, .events = POLLIN | POLLOUT };
	if (poll(&p, 1, ms) < 0)
		p.revents = 0;
	print_poll("POLL", p.revents);
	close(fd);
	return 0;
}

/* Poll (IN only) until each WANT in turn holds (in, hup, nohup), printing
 * "WAITPOLL got WANT" for each; for hang-up and reopen sequences the host
 * drives.  Data that arrives before an "in" is wanted is read and dropped. */
static int cmd_waitpoll(const char *dev, int ms, char **want, int nwant)
{
	double end = now() + ms / 1000.0;
	int fd = open_port(dev, O_NONBLOCK), w = 0;

	if (fd < 0)
		return 1;
	printf("WAITPOLL opened\n");
	while (w < nwant && now() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ok;

		if (poll(&p, 1, 100) < 0)
			break;
		ok = (!strcmp(want[w], "in") && (p.revents & POLLIN)) ||
		     (!strcmp(want[w], "hup") && (p.revents & POLLHUP)) ||
		     (!strcmp(want[w], "nohup") && !(p.revents & POLLHUP));
		if (ok) {
			printf("WAITPOLL got %s\n", want[w]);
			w++;
			continue;
		}
		if (p.revents & POLLIN) {
			char b[4096];

			if (read(fd, b, sizeof(b)) < 0)
				;
		}
		if (p.revents)
			usleep(50000);	/* HUP stays set: do not spin */
	}
	if (w < nwant)
		printf("WAITPOLL timeout waiting for %s\n", want[w]);
	close(fd);
	return w < nwant;
}

static int cmd_nbread(const char *dev)
{
	char b[64];
	int fd = open_port(dev, O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return 1;
	n = read(fd, b, sizeof(b));
	printf("NBREAD %zd %s\n", n, n < 0 ? strerrorname_np(errno) : "-");
	close(fd);
	return 0;
}

static int cmd_write(const char *dev, unsigned long long bytes)
{
	static unsigned char b[1 << 16];
	unsigned long long done = 0;
	double t0;
	int fd = open_port(dev, 0);

	if (fd < 0)
		return 1;
	t0 = now();
	while (done < bytes) {
		size_t n = bytes - done < sizeof(b) ? bytes - done : sizeof(b);
		ssize_t w;
		size_t i;

		for (i = 0; i < n; i++)
			b[i] = pat(done + i);
		w = write(fd, b, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			printf("WROTE %llu error %s\n", done, strerrorname_np(errno));
			close(fd);
			return 1;
		}
		done += (size_t)w;
	}
	printf("WROTE %llu %.3f\n", done, now() - t0);
	/* the host reads it all before we close (closing drops nothing, but
	 * the test reads the figure first) */
	close(fd);
	return 0;
}

static int cmd_read(const char *dev, unsigned long long bytes)
{
	static unsigned char b[1 << 16];
	unsigned long long done = 0, bad = 0;
	double t0 = 0;
	int fd = open_port(dev, 0);

	if (fd < 0)
		return 1;
	printf("READ opened\n");
	fflush(stdout);
	while (done < bytes) {
		ssize_t n = read(fd, b, sizeof(b));
		ssize_t i;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			printf("READ %llu %s\n", done,
			       n < 0 ? strerrorname_np(errno) : "eof");
			close(fd);
			return 1;
		}
		if (!done)
			t0 = now();
		for (i = 0; i < n; i++)
			bad += b[i] != pat(done + (size_t)i);
		done += (size_t)n;
	}
	printf("READ %llu %s %.3f\n", done, bad ? "corrupt" : "ok", now() - t0);
	close(fd);
	return bad != 0;
}

static volatile sig_atomic_t got_sigio;

static void on_sigio(int sig)
{
	(void)sig;
	got_sigio = 1;
}

static int cmd_sigio(const char *dev, int ms)
{
	double end = now() + ms / 1000.0;
	int fd = open_port(dev, O_NONBLOCK);

	if (fd < 0)
		return 1;
	signal(SIGIO, on_sigio);
	if (fcntl(fd, F_SETOWN, getpid()) < 0 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC) < 0) {
		printf("SIGIO setup %s\n", strerror(errno));
		return 1;
	}
	printf("SIGIO armed\n");
	fflush(stdout);
	while (!got_sigio && now() < end)
		usleep(10000);
	printf("SIGIO %d\n", got_sigio ? 1 : 0);
	close(fd);
	return !got_sigio;
}

/* A reader and a writer sharing one open port, both blocked (the host
 * neither sends nor reads); each reports how it ended. */
static int cmd_block(const char *dev)
{
	static unsigned char b[1 << 16];
	int fd = open_port(dev, 0);
	pid_t rd;

	if (fd < 0)
		return 1;
	rd = fork();
	if (rd == 0) {
		ssize_t n;

		printf("BLOCK reader %d\n", getpid());
		fflush(stdout);
		n = read(fd, b, sizeof(b));
		printf("BLOCK reader done %zd %s\n", n,
		       n < 0 ? strerrorname_np(errno) : "-");
		fflush(stdout);
		_exit(0);
	}
	printf("BLOCK writer %d\n", getpid());
	fflush(stdout);
	for (;;) {
		ssize_t n = write(fd, b, sizeof(b));

		if (n < 0) {
			printf("BLOCK writer done %s\n", strerrorname_np(errno));
			break;
		}
	}
	fflush(stdout);
	waitpid(rd, NULL, 0);
	close(fd);
	printf("BLOCK closed\n");
	return 0;
}

/* What a reader that looks late sees of the host leaving and coming back
 * (the test does that while this waits on FIFO). */
static int cmd_lateread(const char *dev, const char *fifo)
{
	char seq[64], c;
	size_t n = 0, data = 0, eofs = 0;
	int fd = open_port(dev, 0), ff;

	if (fd < 0)
		return 1;
	printf("LATE opened\n");
	ff = open(fifo, O_RDONLY | O_CLOEXEC);
	if (ff < 0 || read(ff, &c, 1) != 1) {
		printf("LATE fifo failed\n");
		return 1;
	}
	while (eofs < 3 && n + 1 < sizeof(seq)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (data >= 2 && (poll(&p, 1, 0) != 1 || !(p.revents & POLLIN)))
			break;
		r = read(fd, &c, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			printf("LATE error %s\n", strerrorname_np(errno));
			return 1;
		}
		if (r == 0) {
			seq[n++] = '|';
			eofs++;
		} else {
			seq[n++] = c;
			data++;
		}
	}
	seq[n] = 0;
	printf("LATE %s\n", seq);
	close(ff);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && !strcmp(argv[1], "openloop"))
		return cmd_openloop(argv[2], atoi(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "busy"))
		return cmd_busy(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "poll"))
		return cmd_poll(argv[2], atoi(argv[3]));
	if (argc >= 5 && !strcmp(argv[1], "waitpoll"))
		return cmd_waitpoll(argv[2], atoi(argv[3]), argv + 4, argc - 4);
	if (argc >= 3 && !strcmp(argv[1], "nbread"))
		return cmd_nbread(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "write"))
		return cmd_write(argv[2], strtoull(argv[3], NULL, 0));
	if (argc >= 4 && !strcmp(argv[1], "read"))
		return cmd_read(argv[2], strtoull(argv[3], NULL, 0));
	if (argc >= 4 && !strcmp(argv[1], "sigio"))
		return cmd_sigio(argv[2], atoi(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "block"))
		return cmd_block(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "lateread"))
		return cmd_lateread(argv[2], argv[3]);
	fprintf(stderr, "usage: see vport-check.c\n");
	return 2;
}
