/*
 * pdrun: a runner for packetdrill scripts against tuxnet's packetdrill shim
 * (build/libtuxnet-packetdrill.so), for the subset of the script language
 * that TCP over IPv4 needs. It loads the shim with dlopen and drives it
 * through struct packetdrill_interface exactly as packetdrill does: the
 * script's thread makes the non-blocking calls, reads the clock, sleeps and
 * exchanges packets; a second thread makes the calls a script marks as
 * blocking (`+0...0.1 accept(...)`).
 *
 * The semantics follow packetdrill's (run.c, run_packet.c,
 * run_system_call.c): relative times count from the moment the previous
 * event finished (consecutive inbound packets from the previous one's
 * scripted time), the script's sequence numbers are mapped to the stack's
 * by the difference of the two ISNs, outbound packets are checked field
 * by field with --tolerance_usecs (4000) on their send time, and the TS
 * option's val and ecr of outbound packets are not compared (packetdrill
 * compares val only with --tcp_ts_tick_usecs).
 *
 * Not here: IPv6, UDP and ICMP packet lines, TCP Fast Open and MD5
 * options, %{ python }% blocks (reported as unsupported); `shell` lines
 * are skipped with a note (they would change the host, not tuxnet).
 */
#ifndef TN_PDRUN_H
#define TN_PDRUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <pthread.h>

typedef int64_t s64;

/* How a script line's time is given. */
enum pd_time_type {
	PD_TIME_ABS,          /* 0.100 */
	PD_TIME_REL,          /* +0.1 */
	PD_TIME_ANY,          /* * */
	PD_TIME_ABS_RANGE,    /* 0.1~0.2 */
	PD_TIME_REL_RANGE,    /* +0.1~+0.2 */
};

/* A system call argument or expected value. */
enum pd_expr_kind {
	PD_E_INT,        /* a number or a symbol's value, or an | of them */
	PD_E_ELLIPSIS,   /* ... */
	PD_E_LIST,       /* [a, b] (a pointer to its first item, for [1]) */
	PD_E_STRUCT,     /* {name=value, ...} */
	PD_E_STRING,     /* "text" */
};

struct pd_expr {
	enum pd_expr_kind kind;
	long long num;
	char *name;            /* field name inside a struct, or NULL */
	char *str;             /* PD_E_STRING */
	struct pd_expr **items;
	int n;
};

/* An expected TCP segment (script space). */
struct pd_packet {
	bool outbound;
	char flags[16];
	uint32_t seq;
	uint16_t len;
	uint32_t ack;
	int win;               /* -1: not given (outbound: not checked) */
	bool opts_given;       /* <...> present */
	bool opts_nocheck;     /* <...> literally, or none on an outbound */
	uint8_t opts[40];
	int optlen;
	int ecn;               /* -1: not checked; else the ECN bits, 4: ect0 or ect1 */
};

enum pd_event_type { PD_EV_SYSCALL, PD_EV_PACKET, PD_EV_SHELL, PD_EV_CODE };

struct pd_event {
	int line;
	enum pd_time_type ttype;
	s64 t, t_end;          /* usecs; relative ones are offsets until run */
	s64 offset;            /* what a relative time was counted from */
	enum pd_event_type type;
	/* syscall */
	char *name;
	struct pd_expr **args;
	int nargs;
	bool blocking;         /* `start...end` */
	s64 end;               /* expected return time of a blocking call */
	long long ret;         /* expected result */
	int err;               /* expected errno (0: none given) */
	/* packet */
	struct pd_packet pkt;
	struct pd_event *next;
};

struct pd_script {
	struct pd_event *events;
	long tolerance_usecs;
	int mtu;
	char *unsupported;     /* why the script cannot run here, or NULL */
	int unsupported_line;
};

/* The connection the script is about (packetdrill's socket_under_test):
 * its tuple on the wire and the ISNs that map script sequence numbers to
 * the stack's. Addresses and ports in network order. */
enum pd_sock_state {
	PD_SOCK_NONE, PD_SOCK_NEW, PD_SOCK_LISTENING, PD_SOCK_CONNECTING,
	PD_SOCK_SYN_SENT, PD_SOCK_PASSIVE_SYN, PD_SOCK_PASSIVE_SYNACK, PD_SOCK_OPEN,
};

struct pd_sock {
	enum pd_sock_state state;
	uint32_t local_ip, remote_ip;
	uint16_t local_port, remote_port;
	uint32_t script_local_isn, live_local_isn;
	/* outbound TS val: script -> live, for the ecr of inbound packets */
	struct { uint32_t script, live; } tsmap[64];
	int ntsmap, tsnext;
	bool ts_first;
	uint32_t first_script_ts, first_live_ts;
	/* the last header each way, for the RST at the end */
	bool injected_ack;
	uint32_t inj_next_seq, inj_ack;
	bool have_out;
	uint32_t out_seq, out_ack;
};

struct packetdrill_interface;

/* The run of one script. */
struct pd_run {
	struct packetdrill_interface *ifc;
	struct pd_script *script;
	struct pd_event *event, *last;
	s64 live_start;
	int num_events;
	struct pd_sock sock;
	uint16_t next_port;
	/* script descriptor -> live descriptor */
	struct { int script, live; } fds[64];
	int nfds;
	/* Guards everything here against the blocking-call thread. */
	pthread_mutex_t lock;
	/* the blocking-call thread */
	void *sys;
	bool verbose;
	char *error;          /* the first failure */
	int error_line;
};

s64 pd_now(struct pd_run *r);
int pd_verify_time(struct pd_run *r, enum pd_time_type tt, s64 script_t, s64 script_end,
		   s64 live_t, const char *what, char **err);
int pd_to_live_fd(struct pd_run *r, int script_fd, int *live);
void pd_add_fd(struct pd_run *r, int script_fd, int live_fd);
bool pd_wait_for_event(struct pd_run *r, struct pd_event *ev);
void pd_forget_fd(struct pd_run *r, int script_fd);
bool pd_errorf(struct pd_run *r, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* pd_syscall.c: one call against the shim; false on a mismatch (the
 * error is in r). */
bool pd_syscall_run(struct pd_run *r, struct pd_event *ev);
int pd_sys_start(struct pd_run *r);
void pd_sys_stop(struct pd_run *r);
bool pd_sys_enqueue(struct pd_run *r, struct pd_event *ev);
bool pd_sys_await_idle(struct pd_run *r);

/* pd_parse.c */
int pd_parse_file(const char *path, struct pd_script *s, char **err);
void pd_script_free(struct pd_script *s);
const char *pd_errno_name(int e);

#endif
