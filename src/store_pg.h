/* The PostgreSQL driver's own calls: for the store's tests, which speak to
 * a database that has no weiquan schema yet.  The rest of the core never
 * includes this (tests/cli/test_sqlite_seam.sh checks it). */
#ifndef WEIQUAN_STORE_PG_H
#define WEIQUAN_STORE_PG_H

#include "weiquan/store.h"

/* A store on the PostgreSQL database named by uri (postgresql://...),
 * without looking for weiquan's schema in it. */
enum wq_err wq_store_pg_connect(const char *uri, struct wq_store **out);

/* uri as it may be shown: without its password (in the user part or as a
 * password= parameter).  Returns a malloc'd string. */
char *wq_store_pg_shown_uri(const char *uri);

#endif
