/* SPDX-License-Identifier: MIT */
/* The port over TCP ("tcp:HOST:PORT"): the same chunk stream, for tests
 * (wine has no AF_UNIX sockets).  The connect blocks (meant for a local
 * peer); then a non-blocking socket whose events set one event object
 * through WSAEventSelect. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "options.h"
#include "port.h"

struct wa_port_io {
	SOCKET s;
	WSAEVENT ev;
};

static int tcp_connect(const char *host, unsigned port, SOCKET *out)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	char service[8];
	int r = -ECONNREFUSED;

	snprintf(service, sizeof(service), "%u", port);
	if (getaddrinfo(host, service, &hints, &res) != 0)
		return -EHOSTUNREACH;
	for (ai = res; ai; ai = ai->ai_next) {
		SOCKET s = socket(ai->ai_family, ai->ai_socktype,
				  ai->ai_protocol);

		if (s == INVALID_SOCKET)
			continue;
		if (connect(s, ai->ai_addr, (int)ai->ai_addrlen) == 0) {
			*out = s;
			r = 0;
			break;
		}
		closesocket(s);
	}
	freeaddrinfo(res);
	return r;
}

static int tcp_open(const char *path, struct wa_port_io **out)
{
	char host[256];
	unsigned port;
	u_long nonblocking = 1;
	struct wa_port_io *io;
	int nodelay = 1;
	int r;

	r = wa_options_parse_tcp(path, host, sizeof(host), &port);
	if (r < 0)
		return -EINVAL;
	io = calloc(1, sizeof(*io));
	if (!io)
		return -ENOMEM;
	r = tcp_connect(host, port, &io->s);
	if (r < 0) {
		free(io);
		return r;
	}
	setsockopt(io->s, IPPROTO_TCP, TCP_NODELAY, (const char *)&nodelay,
		   sizeof(nodelay));
	io->ev = WSACreateEvent();
	if (io->ev == WSA_INVALID_EVENT ||
	    ioctlsocket(io->s, FIONBIO, &nonblocking) != 0 ||
	    WSAEventSelect(io->s, io->ev, FD_READ | FD_WRITE | FD_CLOSE) != 0) {
		if (io->ev != WSA_INVALID_EVENT)
			WSACloseEvent(io->ev);
		closesocket(io->s);
		free(io);
		return -EIO;
	}
	*out = io;
	return 0;
}

static void tcp_close(struct wa_port_io *io)
{
	closesocket(io->s);
	WSACloseEvent(io->ev);
	free(io);
}

static int tcp_handles(struct wa_port_io *io, HANDLE *out)
{
	out[0] = io->ev;
	return 1;
}

static int tcp_read(struct wa_port_io *io, uint8_t *buf, size_t size)
{
	WSANETWORKEVENTS ne;
	int n;

	/* resets the event; recv() re-arms FD_READ while data is left */
	WSAEnumNetworkEvents(io->s, io->ev, &ne);
	n = recv(io->s, (char *)buf, size > INT_MAX ? INT_MAX : (int)size, 0);
	if (n > 0)
		return n;
	if (n == 0)
		return -EPIPE;
	return WSAGetLastError() == WSAEWOULDBLOCK ? -EAGAIN : -EPIPE;
}

static int tcp_write(struct wa_port_io *io, const uint8_t *buf, size_t size)
{
	int n;

	if (size == 0)
		return 0;
	n = send(io->s, (const char *)buf,
		     size > INT_MAX ? INT_MAX : (int)size, 0);

	if (n >= 0)
		return n;
	return WSAGetLastError() == WSAEWOULDBLOCK ? 0 : -EPIPE;
}

const struct wa_port_backend wa_port_backend_tcp = {
	.name = "tcp",
	.open = tcp_open,
	.close = tcp_close,
	.handles = tcp_handles,
	.read = tcp_read,
	.write = tcp_write,
};
