/*
 * transport_unix: the local socket (/run/xenstored/socket by default).
 * Every client of it is treated as dom0, as xenstored treats its socket,
 * so the socket is created mode 0600.
 */
#ifndef PVSTORED_TRANSPORT_UNIX_H
#define PVSTORED_TRANSPORT_UNIX_H

struct daemon;
struct unix_listener;

/* Most simultaneous socket clients; more are refused and logged. */
#define UNIX_MAX_CLIENTS 1024

struct unix_listener *unix_listen(struct daemon *d, const char *path);
void unix_close(struct unix_listener *l);

#endif
