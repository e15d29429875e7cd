#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Turns off SQLite's memory statistics for the whole process. Debian's SQLite keeps them (SQLITE_DEFAULT_MEMSTATUS)
/// and is built without its lookaside allocator, so every one of its many small allocations and frees took a global
/// mutex: 2.3 % of the samples of a 10,000-station drain (`floodwatch-bench ingest --parts sweep --sweep 10000`
/// under perf), 0.2 % without. FloodWatch reads none of these statistics.
///
/// Takes effect only before SQLite is first used in the process; returns SQLITE_OK then, SQLITE_MISUSE after.
int floodwatch_sqlite_memory_statistics_off(void);

#endif
