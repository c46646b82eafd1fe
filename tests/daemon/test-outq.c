/* SPDX-License-Identifier: MIT */
/* The output queue: order, partial writes, references kept until written. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "outq.h"
#include "tap.h"

static int freed;

static void count_free(gpointer p)
{
	freed++;
	g_free(p);
}

int main(void)
{
	int sv[2];
	struct outq *q = outq_new();
	size_t big_len = 3u << 20;
	uint8_t *big = g_malloc(big_len);
	uint8_t *got = g_malloc(big_len + 64);
	GBytes *owner;
	size_t have = 0;
	int sndbuf = 4096;
	ssize_t left;

	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < big_len; i++)
		big[i] = (uint8_t)(i * 7);
	owner = g_bytes_new_with_free_func(big, big_len, count_free, big);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);

	outq_push_copy(q, "head", 4);
	outq_push_ref(q, owner, big + 10, big_len - 20);
	outq_push_copy(q, "tail-tail-tail-tail-tail-tail-tail-tail", 39);
	g_bytes_unref(owner);
	is_int(outq_bytes(q), 4 + big_len - 20 + 39, "bytes counted");
	is_int(freed, 0, "the referenced payload is kept");

	left = outq_flush(q, sv[0]);
	ok(left > 0, "a small socket buffer leaves bytes queued (%zd)", left);
	while (!outq_empty(q)) {
		ssize_t n = read(sv[1], got + have, big_len + 64 - have);

		if (n > 0)
			have += (size_t)n;
		left = outq_flush(q, sv[0]);
		if (left < 0)
			break;
	}
	for (;;) {
		ssize_t n = read(sv[1], got + have, big_len + 64 - have);

		if (n <= 0)
			break;
		have += (size_t)n;
	}
	is_int(have, 4 + big_len - 20 + 39, "everything arrived");
	is_mem(got, "head", 4, "head first");
	{
		bool same = true;

		for (size_t i = 0; i < big_len - 20; i++)
			same &= got[4 + i] == (uint8_t)((i + 10) * 7);
		ok(same, "payload in order, nothing lost");
	}
	is_mem(got + 4 + big_len - 20, "tail-", 5, "tail last");
	is_int(freed, 1, "payload released once written");

	close(sv[1]);
	outq_push_copy(q, "x", 1);
	ok(outq_flush(q, sv[0]) < 0, "write error reported (peer closed)");
	outq_clear(q);
	ok(outq_empty(q), "cleared");
	outq_free(q);
	close(sv[0]);
	g_free(got);
	return tap_done();
}
