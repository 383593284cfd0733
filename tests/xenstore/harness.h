/*
 * harness: drive pvstored's request handling in-process for Check tests.
 * A test connection has no transport: requests go in through conn_input()
 * as raw bytes, replies and watch events are taken off its output queue.
 */
#ifndef TESTS_XENSTORE_HARNESS_H
#define TESTS_XENSTORE_HARNESS_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>

#include "daemon.h"

struct tc {
    struct conn *c;
    /* Watch events received and not yet taken. */
    unsigned nev, head;
    char evpath[256][128];
    char evtoken[256][64];
};

extern struct daemon *th_d;

/* Fresh daemon before each test, freed after. */
void th_setup(void);
void th_teardown(void);

/* A connection for domid; privileged = dom0/socket semantics. */
struct tc *th_conn(uint32_t domid, bool privileged);

/* Send a request; returns the reply's type and copies its payload
 * (NUL-terminated for convenience) into out if given. */
uint32_t th_req(struct tc *t, uint32_t type, uint32_t tx, const void *payload,
                uint32_t len, char *out, uint32_t *outlen);
/* Same with a payload of NUL-terminated strings: th_reqs(t, type, tx, n, s1, s2...). */
uint32_t th_reqs(struct tc *t, uint32_t type, uint32_t tx, char *out, int n, ...);

/* 0 or the errno of an XS_ERROR reply. */
int th_err(uint32_t type, const char *payload);

int th_write(struct tc *t, uint32_t tx, const char *path, const char *value);
int th_read(struct tc *t, uint32_t tx, const char *path, char *out);
int th_mkdir(struct tc *t, uint32_t tx, const char *path);
int th_rm(struct tc *t, uint32_t tx, const char *path);
int th_dir(struct tc *t, uint32_t tx, const char *path, char *out, uint32_t *len);
/* perms as one string "n0,r5" for brevity. */
int th_setperms(struct tc *t, uint32_t tx, const char *path, const char *perms);
int th_getperms(struct tc *t, uint32_t tx, const char *path, char *out);
int th_watch(struct tc *t, const char *path, const char *token);
int th_unwatch(struct tc *t, const char *path, const char *token);
int th_txstart(struct tc *t, uint32_t *id);
int th_txend(struct tc *t, uint32_t id, bool commit);

/* Pop the next watch event; false if none is queued. */
bool th_event(struct tc *t, char *path, char *token);
/* Drop queued events. */
void th_drain(struct tc *t);

#endif
