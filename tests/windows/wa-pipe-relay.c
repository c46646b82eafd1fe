/* SPDX-License-Identifier: MIT */
/*
 * A test relay run under wine: a named pipe server standing in for
 * virtio-win's vioserial port, so that vdagent.exe's overlapped device
 * backend (port-virtio.c) runs for real.  For each client of the pipe it
 * connects to tcp HOST:PORT (the test playing spice-server) and copies
 * bytes both ways until either side closes; then it closes both and
 * offers a new pipe instance.  Prints "listening" once the first
 * instance exists, "connected" and "closed" per client, flushed.
 *
 *   wa-pipe-relay.exe \\.\pipe\NAME HOST PORT
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>

struct link {
	HANDLE pipe;
	SOCKET sock;
};

static void say(const char *s)
{
	printf("%s\n", s);
	fflush(stdout);
}

/* Overlapped I/O on the pipe, waited for: one thread reads while the
 * other writes on the same handle. */
static BOOL pipe_io(HANDLE pipe, BOOL write, void *buf, DWORD len,
		    DWORD *done)
{
	OVERLAPPED ov = { 0 };
	BOOL ok;

	ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
	ok = write ? WriteFile(pipe, buf, len, NULL, &ov)
		   : ReadFile(pipe, buf, len, NULL, &ov);
	if (ok || GetLastError() == ERROR_IO_PENDING)
		ok = GetOverlappedResult(pipe, &ov, done, TRUE);
	CloseHandle(ov.hEvent);
	return ok;
}

static DWORD WINAPI pipe_to_sock(void *arg)
{
	struct link *l = arg;
	char buf[8192];
	DWORD n;

	while (pipe_io(l->pipe, FALSE, buf, sizeof(buf), &n) && n > 0)
		if (send(l->sock, buf, (int)n, 0) != (int)n)
			break;
	shutdown(l->sock, SD_BOTH);
	CancelIoEx(l->pipe, NULL);
	return 0;
}

static DWORD WINAPI sock_to_pipe(void *arg)
{
	struct link *l = arg;
	char buf[8192];
	DWORD done;
	int n;

	while ((n = recv(l->sock, buf, sizeof(buf), 0)) > 0)
		if (!pipe_io(l->pipe, TRUE, buf, (DWORD)n, &done))
			break;
	shutdown(l->sock, SD_BOTH);
	CancelIoEx(l->pipe, NULL);
	return 0;
}

static SOCKET tcp_connect(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res;
	SOCKET s = INVALID_SOCKET;

	if (getaddrinfo(host, port, &hints, &res) != 0)
		return INVALID_SOCKET;
	s = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
	if (s != INVALID_SOCKET &&
	    connect(s, res->ai_addr, (int)res->ai_addrlen) != 0) {
		closesocket(s);
		s = INVALID_SOCKET;
	}
	freeaddrinfo(res);
	return s;
}

int main(int argc, char **argv)
{
	WSADATA wsa;
	wchar_t name[256];
	bool first = true;

	if (argc != 4) {
		fprintf(stderr, "usage: wa-pipe-relay PIPE HOST PORT\n");
		return 2;
	}
	MultiByteToWideChar(CP_UTF8, 0, argv[1], -1, name, 256);
	WSAStartup(MAKEWORD(2, 2), &wsa);
	for (;;) {
		struct link l;
		HANDLE t[2];
		OVERLAPPED ov = { 0 };
		DWORD n;

		l.pipe = CreateNamedPipeW(name, PIPE_ACCESS_DUPLEX |
					  FILE_FLAG_OVERLAPPED,
					  PIPE_TYPE_BYTE | PIPE_READMODE_BYTE |
					  PIPE_WAIT, 1, 65536, 65536, 0, NULL);
		if (l.pipe == INVALID_HANDLE_VALUE) {
			fprintf(stderr, "CreateNamedPipe: %lu\n", GetLastError());
			return 1;
		}
		if (first)
			say("listening");
		first = false;
		ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
		if (!ConnectNamedPipe(l.pipe, &ov)) {
			DWORD e = GetLastError();

			if (e == ERROR_IO_PENDING)
				GetOverlappedResult(l.pipe, &ov, &n, TRUE);
			else if (e != ERROR_PIPE_CONNECTED) {
				CloseHandle(ov.hEvent);
				CloseHandle(l.pipe);
				continue;
			}
		}
		CloseHandle(ov.hEvent);
		l.sock = tcp_connect(argv[2], argv[3]);
		if (l.sock == INVALID_SOCKET) {
			DisconnectNamedPipe(l.pipe);
			CloseHandle(l.pipe);
			say("closed");
			continue;
		}
		say("connected");
		t[0] = CreateThread(NULL, 0, pipe_to_sock, &l, 0, NULL);
		t[1] = CreateThread(NULL, 0, sock_to_pipe, &l, 0, NULL);
		WaitForMultipleObjects(2, t, FALSE, INFINITE);
		/* one side ended: end the other */
		shutdown(l.sock, SD_BOTH);
		CancelIoEx(l.pipe, NULL);
		DisconnectNamedPipe(l.pipe);
		WaitForMultipleObjects(2, t, TRUE, INFINITE);
		CloseHandle(t[0]);
		CloseHandle(t[1]);
		closesocket(l.sock);
		CloseHandle(l.pipe);
		say("closed");
	}
}
