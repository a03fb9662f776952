#ifndef NAVIGATOR_CSQLITESHIM_H
#define NAVIGATOR_CSQLITESHIM_H

/// Turns on SQLite's query planner stability guarantee on a connection of the SQLite that SQLiteNIO
/// vendors (`sqlite3_db_config` is variadic, so Swift cannot call it directly). Returns SQLite's result code.
int navigator_sqlite_enable_qpsg(void *db);

#endif
