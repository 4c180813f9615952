/* weiquan: the schema's forward migrations, one SQL text per version.
 * Internal to the store; migration N takes user_version N-1 to N. */
#ifndef WEIQUAN_SCHEMA_H
#define WEIQUAN_SCHEMA_H

extern const char *const wq_schema_migrations[];
extern const int wq_schema_migration_count;

#endif
