// The storage floor of the ingest sweep: only the SQLite work every stored reading needs, in C, with nothing else.
//
// What `floodwatch-bench ingest --parts sweep` stores, without MQTT, decoding, the warning engine, gap tracking or
// Swift: readings of `stations` stations of two sensors (level, rain), each station's readings in turn, 5 minutes
// apart, into FloodWatch's own tables and settings (`series_readings` and `series_hourly`, WAL,
// synchronous = FULL, the writer's 16 MiB cache, a checkpoint every 10,000 pages), one transaction per batch of
// BATCH readings (5,000 by default; FloodWatch's `maxBatchMessages` is 20,000), one prepared INSERT per reading
// and one rollup upsert per series and hour of the batch (0 as ROLLUPS leaves the rollups out). It prints readings
// per second and microseconds per reading.
//
// FloodWatch cannot store a reading faster than this at the same station count: it is the part no change to
// FloodWatch's own code removes. Comparing its figures at 10 and at 10,000 stations shows how much of the sweep's
// spread the database's pages set by themselves (docs/benchmarks.md).
//
//   cc -O2 -o /tmp/sqlite-floor scripts/bench/sqlite-floor.c -lsqlite3
//   /tmp/sqlite-floor 10 100000 && /tmp/sqlite-floor 10000 100000
//   /tmp/sqlite-floor 10000 100000 5000 0        # the INSERTs alone
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void check(int rc, sqlite3 *db, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

// One series' rollup for the hour it is in within the current batch.
typedef struct {
    int64_t bucket;
    int64_t samples;
    double min, max, sum, last;
    int64_t last_ts;
} Rollup;

static void flush(sqlite3 *db, sqlite3_stmt *upsert, int64_t series, Rollup *r) {
    if (r->samples == 0) return;
    sqlite3_bind_int64(upsert, 1, series);
    sqlite3_bind_int64(upsert, 2, r->bucket);
    sqlite3_bind_int64(upsert, 3, r->samples);
    sqlite3_bind_double(upsert, 4, r->min);
    sqlite3_bind_double(upsert, 5, r->max);
    sqlite3_bind_double(upsert, 6, r->sum);
    sqlite3_bind_int64(upsert, 7, r->last_ts);
    sqlite3_bind_double(upsert, 8, r->last);
    check(sqlite3_step(upsert), db, "rollup upsert");
    sqlite3_reset(upsert);
    r->samples = 0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s STATIONS READINGS [BATCH [ROLLUPS [DATABASE]]]\n", argv[0]);
        return 2;
    }
    const int stations = atoi(argv[1]);
    const int readings = atoi(argv[2]);
    const int batch = argc > 3 ? atoi(argv[3]) : 5000;
    const int withRollups = argc > 4 ? atoi(argv[4]) : 1;
    char path[256];
    snprintf(path, sizeof path, "%s", argc > 5 ? argv[5] : "/tmp/sqlite-floor.sqlite");
    const char *suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char file[300];
        snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
        unlink(file);
    }

    sqlite3 *db;
    check(sqlite3_open(path, &db), db, "open");
    check(sqlite3_exec(db,
                       "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 10000;"
                       "PRAGMA cache_size = -16384;"
                       "CREATE TABLE series_readings (series INTEGER NOT NULL, ts INTEGER NOT NULL, value NOT NULL,"
                       "  quality INTEGER NOT NULL DEFAULT 0, seq INTEGER, arrival_ms INTEGER NOT NULL,"
                       "  PRIMARY KEY (series, ts)) WITHOUT ROWID;"
                       "CREATE TABLE series_hourly (series INTEGER NOT NULL, bucket INTEGER NOT NULL,"
                       "  samples INTEGER NOT NULL, min_value REAL NOT NULL, max_value REAL NOT NULL,"
                       "  sum_value REAL NOT NULL, last_ts INTEGER NOT NULL, last_value REAL NOT NULL,"
                       "  PRIMARY KEY (series, bucket)) WITHOUT ROWID;",
                       NULL, NULL, NULL),
          db, "schema");

    sqlite3_stmt *insert, *upsert;
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO series_readings (series, ts, value, quality, seq, arrival_ms)"
                             " VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT DO NOTHING",
                             -1, &insert, NULL),
          db, "prepare insert");
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO series_hourly (series, bucket, samples, min_value, max_value, sum_value,"
                             " last_ts, last_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                             " ON CONFLICT (series, bucket) DO UPDATE SET samples = samples + excluded.samples,"
                             " min_value = MIN(min_value, excluded.min_value),"
                             " max_value = MAX(max_value, excluded.max_value),"
                             " sum_value = sum_value + excluded.sum_value,"
                             " last_value = CASE WHEN excluded.last_ts > last_ts THEN excluded.last_value"
                             " ELSE last_value END, last_ts = MAX(last_ts, excluded.last_ts)",
                             -1, &upsert, NULL),
          db, "prepare upsert");

    const int series = stations * 2;
    Rollup *rollups = calloc(series, sizeof(Rollup));
    // The series whose rollup this batch started, in order; at most one entry a reading.
    int *touched = malloc(sizeof(int) * batch);
    const int64_t start = 1700000000000LL;

    const double began = now_seconds();
    for (int first = 0; first < readings; first += batch) {
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db, "begin");
        int touchedCount = 0;
        const int end = first + batch < readings ? first + batch : readings;
        for (int index = first; index < end; index++) {
            // The sweep's order: each station in turn; a station alternates its level and rain readings.
            const int station = index % stations;
            const int turn = index / stations;
            const int sensor = turn % 2;
            const int64_t ts = start + (int64_t)(turn / 2) * 300000;
            const int s = station * 2 + sensor;
            const int64_t thousandths = sensor ? (station % 50) * 100 : 1000 + (station % 200) * 10;
            sqlite3_bind_int64(insert, 1, s + 1);
            sqlite3_bind_int64(insert, 2, ts);
            sqlite3_bind_int64(insert, 3, thousandths);
            sqlite3_bind_int64(insert, 4, turn / 2);
            sqlite3_bind_int64(insert, 5, 40);
            check(sqlite3_step(insert), db, "insert");
            sqlite3_reset(insert);

            if (!withRollups) continue;
            Rollup *r = &rollups[s];
            const int64_t bucket = ts / 3600000 * 3600000;
            if (r->samples > 0 && r->bucket != bucket) flush(db, upsert, s + 1, r);
            const double value = thousandths / 1000.0;
            if (r->samples == 0) {
                touched[touchedCount++] = s;
                *r = (Rollup){bucket, 0, value, value, 0, value, ts};
            }
            r->samples += 1;
            r->min = value < r->min ? value : r->min;
            r->max = value > r->max ? value : r->max;
            r->sum += value;
            r->last = value;
            r->last_ts = ts;
        }
        for (int i = 0; i < touchedCount; i++) flush(db, upsert, touched[i] + 1, &rollups[touched[i]]);
        check(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db, "commit");
    }
    const double elapsed = now_seconds() - began;

    printf("%d stations, %d readings, batch %d, %s: %.0f readings/s, %.2f us a reading\n", stations, readings, batch,
           withRollups ? "with rollups" : "inserts alone", readings / elapsed, elapsed * 1e6 / readings);
    sqlite3_finalize(insert);
    sqlite3_finalize(upsert);
    sqlite3_close(db);
    free(rollups);
    free(touched);
    return 0;
}
