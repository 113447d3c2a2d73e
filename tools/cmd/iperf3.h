/*
 * iperf3's wire protocol, independent of the sockets it runs on.
 *
 * The engine (iperf3.c) is one test of iperf3 3.12, client or server: the
 * control connection with its cookie and state bytes, the JSON parameter
 * and results exchange, the data streams, the interval and summary report.
 * It owns no socket and no timer. It asks its transport (struct
 * iperf_io_ops) to connect, accept, send and receive, always without
 * blocking, and tells its driver the next time it must run
 * (iperf_test_deadline). Two drivers exist:
 *
 *   - tools/cmd/iperf3_job.c: a job of `tuxnet run` on the socket layer of
 *     a tuxnet namespace, in real or virtual time;
 *   - tests/tools/iperf3_host.c: a test program on the host's own sockets,
 *     to check the engine against Debian's iperf3 without any tuxnet stack
 *     in between.
 *
 * The JSON reader and writer (iperf3_json.c) know only what the exchange
 * needs: objects, arrays, numbers, strings, true/false/null, one level of
 * string escapes.
 */
#ifndef TN_TOOLS_CMD_IPERF3_H
#define TN_TOOLS_CMD_IPERF3_H

#include <stdio.h>
#include <sys/types.h>

#include "net/compiler.h"

/* The control connection's state bytes (iperf_api.h), a signed char each. */
enum iperf_state_byte {
	IPERF_TEST_START = 1,
	IPERF_TEST_RUNNING = 2,
	IPERF_TEST_END = 4,
	IPERF_PARAM_EXCHANGE = 9,
	IPERF_CREATE_STREAMS = 10,
	IPERF_SERVER_TERMINATE = 11,
	IPERF_CLIENT_TERMINATE = 12,
	IPERF_EXCHANGE_RESULTS = 13,
	IPERF_DISPLAY_RESULTS = 14,
	IPERF_DONE = 16,
	IPERF_ACCESS_DENIED = -1,
	IPERF_SERVER_ERROR = -2,
};

/* 36 characters of [a-z2-7] and the terminating NUL, sent as they are. */
#define IPERF_COOKIE_SIZE 37
#define IPERF_PORT 5201
#define IPERF_MAX_STREAMS 128
#define IPERF_DEFAULT_LEN (128 * 1024)

/* A transport. Connections are the transport's own handles; every call is
 * non-blocking and returns a negative errno (-EAGAIN: try again later). */
struct iperf_io_ops {
	u64 (*now)(void *io);                          /* ns, monotonic */
	void (*random)(void *io, u8 *buf, size_t n);
	/* Start a connection to the server (client). */
	int (*connect)(void *io, void **conn);
	/* 1 connected, 0 still connecting, < 0 failed. */
	int (*connected)(void *io, void *conn);
	/* A connection waiting on the server's listener, or NULL. */
	void *(*accept)(void *io, int *err);
	ssize_t (*send)(void *io, void *conn, const void *buf, size_t len);
	/* 0 at EOF. */
	ssize_t (*recv)(void *io, void *conn, void *buf, size_t len);
	void (*shutdown)(void *io, void *conn);        /* SHUT_WR */
	void (*close)(void *io, void *conn);
	/* Dotted address (16 bytes) and port of either end. */
	u16 (*name)(void *io, void *conn, bool peer, char *addr);
	/* Total retransmitted segments and the congestion window in bytes. */
	void (*tcp_info)(void *io, void *conn, u32 *retrans, u64 *cwnd);
};

/* The command line. */
struct iperf_opts {
	bool server;
	bool one_off;                 /* -1 */
	bool digest;                  /* --digest (tuxnet) */
	bool reverse;                 /* -R */
	const char *host;             /* -c */
	unsigned long port;           /* -p */
	u64 time_ms;                  /* -t */
	u64 bytes;                    /* -n, 0: by time */
	u64 len;                      /* -l */
	u64 interval_ms;              /* -i, 0: none */
	unsigned int streams;         /* -P */
};

struct iperf_test;

struct iperf_test *iperf_test_new(const struct iperf_opts *o, const struct iperf_io_ops *ops,
				  void *io, FILE *out, FILE *err);
/* Client: print the first lines and connect. Server: print the banner. */
int iperf_test_start(struct iperf_test *t);
/* Do all that can be done now. */
void iperf_test_run(struct iperf_test *t);
/* When iperf_test_run must be called again at the latest (UINT64_MAX: only
 * when a connection has something). */
u64 iperf_test_deadline(const struct iperf_test *t);
/* Whether the test (the server: its last test) is over, and its status. */
bool iperf_test_done(const struct iperf_test *t, int *status);
/* Whether this side is sending data right now (worth waiting for room). */
bool iperf_test_sending(const struct iperf_test *t);
/* Bytes sent and received over all streams as this end knows them (its
 * own count and the peer's results), once the results are in. */
void iperf_test_totals(const struct iperf_test *t, u64 *sent, u64 *received);
/* Interrupted (^C, the end of a scenario): tell the peer, as iperf3 does. */
void iperf_test_stop(struct iperf_test *t);
void iperf_test_free(struct iperf_test *t);

/* ---- JSON (iperf3_json.c) ---------------------------------------------- */

/* Writer into a fixed buffer; err is set when the text did not fit. */
struct iperf_jw {
	char *buf;
	size_t len, cap;
	bool need_comma;
	bool err;
};

void iperf_jw_init(struct iperf_jw *w, char *buf, size_t cap);
void iperf_jw_open(struct iperf_jw *w, const char *key, char bracket);   /* '{' or '[' */
void iperf_jw_close(struct iperf_jw *w, char bracket);                   /* '}' or ']' */
void iperf_jw_int(struct iperf_jw *w, const char *key, long long v);
void iperf_jw_double(struct iperf_jw *w, const char *key, double v);
void iperf_jw_bool(struct iperf_jw *w, const char *key, bool v);
void iperf_jw_str(struct iperf_jw *w, const char *key, const char *v);

enum iperf_jtype { IPERF_J_NULL, IPERF_J_FALSE, IPERF_J_TRUE, IPERF_J_NUM, IPERF_J_STR,
		   IPERF_J_ARR, IPERF_J_OBJ };

/* One value of a parsed document, in document order; an object's members
 * are key (a string) then value. */
struct iperf_jnode {
	enum iperf_jtype type;
	unsigned int span;            /* nodes in this subtree, itself included */
	unsigned int nchild;          /* array items, or object members */
	const char *s;                /* strings: the raw text between the quotes */
	size_t slen;
	double num;
};

struct iperf_jdoc {
	struct iperf_jnode *n;
	unsigned int count, cap;
};

/* 0, or -EINVAL for text that is not one JSON value; free with _free. */
int iperf_json_parse(struct iperf_jdoc *d, const char *text, size_t len);
void iperf_json_free(struct iperf_jdoc *d);
/* The value of key in the object at node obj, or -1. */
int iperf_json_get(const struct iperf_jdoc *d, int obj, const char *key);
/* Item i of the array at node arr, or -1. */
int iperf_json_item(const struct iperf_jdoc *d, int arr, unsigned int i);
/* Number, or def when the node is absent or not a number. */
double iperf_json_num(const struct iperf_jdoc *d, int node, double def);

#endif
