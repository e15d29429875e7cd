#include "CSQLiteSetup.h"

#include <sqlite3.h>

// In C because sqlite3_config is variadic, which Swift cannot call.
int floodwatch_sqlite_memory_statistics_off(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
