/* weiquan: the schema's forward migrations.  Internal to the store;
 * migration N takes schema version N-1 to N. */
#ifndef WEIQUAN_SCHEMA_H
#define WEIQUAN_SCHEMA_H

/* No PostgreSQL database older than this version can exist: PostgreSQL
 * starts from a baseline at this version (src/schema_pg.c), and only the
 * migrations after it have a PostgreSQL text. */
#define WQ_SCHEMA_PG_BASELINE 21

/* A column a migration adds to a table that exists. */
struct wq_new_column {
	const char *table, *column, *declaration;
};

struct wq_migration {
	const char *sqlite;
	/* NULL up to WQ_SCHEMA_PG_BASELINE, required after it. */
	const char *pg;
	/* Added on SQLite before its text runs, unless the table has it:
	 * SQLite has no ADD COLUMN IF NOT EXISTS, and every migration's
	 * text may run again on a database that has it (PostgreSQL's text
	 * says IF NOT EXISTS itself). */
	struct wq_new_column sqlite_column;
};

extern const struct wq_migration wq_schema_migrations[];
extern const int wq_schema_migration_count;

/* The PostgreSQL baseline's texts, in order, NULL-terminated: they make
 * an empty database schema version WQ_SCHEMA_PG_BASELINE. */
extern const char *const wq_schema_pg_baseline[];
/* Its triggers, made in src/schema.c from the macros SQLite's are. */
extern const char wq_schema_pg_triggers[];

#endif
