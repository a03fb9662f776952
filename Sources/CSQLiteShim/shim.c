#include "CSQLiteShim.h"

/* Declared here rather than by including SQLiteNIO's header: the symbol is linked from SQLiteNIO's vendored SQLite. */
extern int sqlite_nio_sqlite3_db_config(void *db, int op, ...);

/* SQLITE_DBCONFIG_ENABLE_QPSG */
#define NAVIGATOR_DBCONFIG_ENABLE_QPSG 1007

int navigator_sqlite_enable_qpsg(void *db) {
    return sqlite_nio_sqlite3_db_config(db, NAVIGATOR_DBCONFIG_ENABLE_QPSG, 1, (int *)0);
}
