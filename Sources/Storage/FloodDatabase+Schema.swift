import GRDB

extension FloodDatabase {
    /// The schema, one migration per change. Applied migrations never change: add a new one instead.
    /// Times are Unix epoch milliseconds, UTC, in every table.
    ///
    /// Plain (not STRICT) tables on purpose: the file must open in any sqlite3 an operator may restore it with,
    /// including SQLite before 3.37. Types are kept by the code that writes.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: stations, sensors, readings, rejected") { db in
            try db.execute(
                sql: """
                    -- The station catalogue as FloodWatch last loaded it (sensors/stations.yaml).
                    CREATE TABLE stations (
                        id TEXT PRIMARY KEY,          -- catalogue id, as in MQTT topics: 'cau-lau'
                        name TEXT NOT NULL,           -- 'Câu Lâu'
                        river TEXT NOT NULL,
                        basin TEXT,
                        lat REAL NOT NULL,            -- WGS 84 degrees
                        lon REAL NOT NULL,
                        alarm_1 REAL,                 -- official alarm levels BĐ I, II, III (metres, station datum);
                        alarm_2 REAL,                 -- NULL where no official level is known
                        alarm_3 REAL,
                        record_level REAL,            -- highest flood on record (metres), if known
                        record_year INTEGER,
                        in_catalogue INTEGER NOT NULL DEFAULT 1,  -- 0 once removed from the catalogue
                        updated_at INTEGER NOT NULL
                    );

                    -- Sensors declared for each station.
                    CREATE TABLE sensors (
                        station TEXT NOT NULL,
                        sensor TEXT NOT NULL,         -- 'level' or 'rain'
                        unit TEXT NOT NULL,           -- 'm' or 'mm'
                        interval_s INTEGER NOT NULL,  -- reporting interval, seconds
                        min_value REAL NOT NULL,      -- physical range; readings outside are rejected
                        max_value REAL NOT NULL,
                        PRIMARY KEY (station, sensor)
                    ) WITHOUT ROWID;

                    -- Every accepted reading, once. The key makes redeliveries and re-uploads harmless.
                    CREATE TABLE readings (
                        station TEXT NOT NULL,
                        sensor TEXT NOT NULL,
                        ts INTEGER NOT NULL,          -- measurement time
                        value REAL NOT NULL,          -- level in metres above the station datum, rain in mm
                        quality INTEGER NOT NULL DEFAULT 0,  -- 0 good, 1 suspect, 2 bad
                        seq INTEGER,                  -- the gauge's message counter, when it sends one
                        received_at INTEGER NOT NULL, -- when FloodWatch stored it
                        PRIMARY KEY (station, sensor, ts)
                    ) WITHOUT ROWID;

                    -- Everything that was not stored as a reading, with the reason, for operators.
                    CREATE TABLE rejected (
                        id INTEGER PRIMARY KEY,
                        received_at INTEGER NOT NULL,
                        topic TEXT NOT NULL,
                        station TEXT,                 -- when the topic names one
                        sensor TEXT,
                        reason_code TEXT NOT NULL,    -- stable code, e.g. 'unknown_station'
                        reason TEXT NOT NULL,         -- what was wrong, in words
                        payload BLOB,                 -- the offending bytes: TEXT when valid UTF-8, else BLOB;
                                                      -- at most the first 256 KiB
                        payload_bytes INTEGER NOT NULL  -- size of the offending bytes as received
                    );
                    CREATE INDEX rejected_by_time ON rejected (received_at);
                    """)
        }
        migrator.registerMigration("v2: warnings, engine state") { db in
            try db.execute(
                sql: """
                    -- The warning time series: one row per change of a warning. A warning is raised, then escalated
                    -- or deescalated any number of times, then cleared; officers acknowledge it.
                    CREATE TABLE warnings (
                        id INTEGER PRIMARY KEY,
                        warning_id INTEGER NOT NULL,  -- id of the 'raised' row that opened this warning
                        station TEXT NOT NULL,
                        sensor TEXT NOT NULL,         -- 'level' or 'rain'
                        rule TEXT NOT NULL,           -- 'level', 'rise', 'forecast', 'rain' or 'silent'
                        event TEXT NOT NULL,          -- 'raised', 'escalated', 'deescalated', 'cleared', 'acknowledged'
                        level INTEGER NOT NULL,       -- after the event: 1..4, 0 when cleared
                        ts INTEGER NOT NULL,          -- time of the reading that caused it (Unix ms UTC)
                        value REAL,                   -- what the rule measured (m, mm, m of rise)
                        threshold REAL,               -- what it was judged against
                        window_s INTEGER,             -- rise and rain: the window; silent: the silence limit
                        projected_ts INTEGER,         -- forecast: when the line reaches the threshold
                        projected_value REAL,         -- forecast: the line's level at the end of the horizon
                        late INTEGER NOT NULL DEFAULT 0,  -- 1: caused by a reading that arrived late (a backlog)
                        message_vi TEXT NOT NULL,
                        message_en TEXT NOT NULL,
                        created_at INTEGER NOT NULL   -- when FloodWatch wrote the row
                    );
                    CREATE INDEX warnings_by_station_time ON warnings (station, ts);
                    CREATE INDEX warnings_by_rule ON warnings (station, sensor, rule, id);

                    -- The current state of every warning that is not cleared: the last row of each
                    -- (station, sensor, rule), if its level is above 0.
                    CREATE VIEW active_warnings AS
                    SELECT w.* FROM warnings AS w
                    JOIN (SELECT MAX(id) AS id FROM warnings WHERE event != 'acknowledged'
                          GROUP BY station, sensor, rule) AS latest ON w.id = latest.id
                    WHERE w.level > 0;

                    -- Internal: what the warning engine needs to resume after a restart (hysteresis timers, the
                    -- spike candidate, last arrival), per sensor, written with the readings that changed it.
                    -- Not a public interface.
                    CREATE TABLE engine_state (
                        station TEXT NOT NULL,
                        sensor TEXT NOT NULL,
                        state TEXT NOT NULL,          -- JSON
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (station, sensor)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v3: alert notices and deliveries, acknowledgements") { db in
            try db.execute(
                sql: """
                    -- Acknowledged events: the officer and what they added.
                    ALTER TABLE warnings ADD COLUMN acknowledged_by TEXT;
                    ALTER TABLE warnings ADD COLUMN note TEXT;

                    -- The alert outbox. One notice per warning event, written in the event's own transaction, so
                    -- every committed event is told; reminders and grouped notices are added by the alert service.
                    CREATE TABLE alert_notices (
                        id INTEGER PRIMARY KEY,       -- also in the CAP identifier: floodwatch-notice-<id>
                        kind TEXT NOT NULL,           -- 'event', 'reminder' or 'grouped' (storm control)
                        event_id INTEGER,             -- warnings.id told of (reminder: the warning's latest event)
                        warning_id INTEGER,           -- warnings.warning_id; NULL for grouped
                        previous_level INTEGER NOT NULL DEFAULT 0,  -- the warning's level before the event
                        status TEXT NOT NULL,         -- 'new' (not yet routed), 'routed', 'grouped' (into group_id)
                        group_id INTEGER,             -- the grouped notice this one was folded into
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX alert_notices_by_status ON alert_notices (status, id);
                    CREATE INDEX alert_notices_by_warning ON alert_notices (warning_id, id);
                    CREATE INDEX alert_notices_by_group ON alert_notices (group_id) WHERE group_id IS NOT NULL;

                    -- One row per notice and receiver: what was sent where, and what failed and why.
                    CREATE TABLE alert_deliveries (
                        id INTEGER PRIMARY KEY,
                        notice_id INTEGER NOT NULL REFERENCES alert_notices (id),
                        channel TEXT NOT NULL,        -- 'mqtt', 'webhook' or 'email'
                        target TEXT NOT NULL,         -- the topic, the webhook's name, the e-mail address
                        status TEXT NOT NULL,         -- 'pending', 'sent' or 'failed' (gave up)
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        last_error TEXT,              -- why the last attempt failed
                        created_at INTEGER NOT NULL,
                        sent_at INTEGER,              -- when the receiver accepted it
                        UNIQUE (notice_id, channel, target)
                    );
                    CREATE INDEX alert_deliveries_due ON alert_deliveries (status, channel, next_attempt_at);
                    CREATE INDEX alert_deliveries_by_time ON alert_deliveries (created_at);
                    """)
        }
        migrator.registerMigration("v4: hourly and daily rollups of readings") { db in
            try db.execute(
                sql: """
                    -- Rollups for long hydrographs: a year of 5-minute readings is 105,000 rows per sensor, but 8,760
                    -- hours and 365 days. Kept by triggers as readings arrive, from good readings (quality 0) only,
                    -- so a spike held as suspect never stretches a chart.
                    CREATE TABLE readings_hourly (
                        station TEXT NOT NULL,
                        sensor TEXT NOT NULL,
                        bucket INTEGER NOT NULL,      -- start of the hour (Unix ms UTC)
                        samples INTEGER NOT NULL,     -- good readings in the hour
                        min_value REAL NOT NULL,
                        max_value REAL NOT NULL,
                        sum_value REAL NOT NULL,      -- mean = sum_value / samples; for rain, the hour's total
                        last_ts INTEGER NOT NULL,     -- the hour's newest reading
                        last_value REAL NOT NULL,
                        PRIMARY KEY (station, sensor, bucket)
                    ) WITHOUT ROWID;
                    -- The same per day in Vietnam time: bucket is 00:00 +07:00 (17:00 UTC the day before).
                    CREATE TABLE readings_daily (
                        station TEXT NOT NULL,
                        sensor TEXT NOT NULL,
                        bucket INTEGER NOT NULL,
                        samples INTEGER NOT NULL,
                        min_value REAL NOT NULL,
                        max_value REAL NOT NULL,
                        sum_value REAL NOT NULL,
                        last_ts INTEGER NOT NULL,
                        last_value REAL NOT NULL,
                        PRIMARY KEY (station, sensor, bucket)
                    ) WITHOUT ROWID;
                    """)
            for (table, width, bucket) in Self.rollups {
                try db.execute(
                    sql: """
                        INSERT INTO \(table) (station, sensor, bucket, samples, min_value, max_value, sum_value, last_ts,
                                              last_value)
                        SELECT station, sensor, \(bucket("ts")) AS b, COUNT(*), MIN(value), MAX(value), SUM(value),
                               MAX(ts), value
                        FROM readings WHERE quality = 0 GROUP BY station, sensor, b;

                        CREATE TRIGGER \(table)_on_insert AFTER INSERT ON readings WHEN NEW.quality = 0 BEGIN
                            INSERT INTO \(table) (station, sensor, bucket, samples, min_value, max_value, sum_value,
                                                  last_ts, last_value)
                            VALUES (NEW.station, NEW.sensor, \(bucket("NEW.ts")), 1, NEW.value, NEW.value, NEW.value,
                                    NEW.ts, NEW.value)
                            ON CONFLICT (station, sensor, bucket) DO UPDATE SET
                                samples = samples + 1,
                                min_value = MIN(min_value, excluded.min_value),
                                max_value = MAX(max_value, excluded.max_value),
                                sum_value = sum_value + excluded.sum_value,
                                last_value = CASE WHEN excluded.last_ts > last_ts THEN excluded.last_value
                                                  ELSE last_value END,
                                last_ts = MAX(last_ts, excluded.last_ts);
                        END;

                        -- A reading marked suspect (or good again) after it was stored: its bucket is recomputed.
                        CREATE TRIGGER \(table)_on_quality AFTER UPDATE OF quality ON readings
                        WHEN OLD.quality != NEW.quality BEGIN
                            DELETE FROM \(table) WHERE station = NEW.station AND sensor = NEW.sensor
                                AND bucket = \(bucket("NEW.ts"));
                            INSERT INTO \(table) (station, sensor, bucket, samples, min_value, max_value, sum_value,
                                                  last_ts, last_value)
                            SELECT station, sensor, \(bucket("NEW.ts")), COUNT(*), MIN(value), MAX(value), SUM(value),
                                   MAX(ts), value
                            FROM readings WHERE station = NEW.station AND sensor = NEW.sensor AND quality = 0
                                AND ts >= \(bucket("NEW.ts")) AND ts < \(bucket("NEW.ts")) + \(width)
                            GROUP BY station, sensor;
                        END;
                        """)
            }
        }
        migrator.registerMigration("v5: where an acknowledgement came from") { db in
            // The audit of an acknowledgement: who (acknowledged_by), when (created_at) and, now, from where:
            // "HTTP from 10.0.0.7, token duty-officer" or "command line, root@ops-1".
            try db.execute(sql: "ALTER TABLE warnings ADD COLUMN acknowledged_from TEXT")
        }
        migrator.registerMigration("v6: sequence gaps") { db in
            try db.execute(
                sql: """
                    -- Readings a gauge numbered (seq) that never reached FloodWatch: between two stored readings of a
                    -- sensor, adjacent in time, whose counters are not consecutive. Filled (filled_at set) when the
                    -- missing readings arrive after all; what stays open was lost upstream.
                    CREATE TABLE sequence_gaps (
                        id INTEGER PRIMARY KEY,
                        station TEXT NOT NULL,
                        sensor TEXT NOT NULL,
                        first_seq INTEGER NOT NULL,   -- the first and last missing counter values
                        last_seq INTEGER NOT NULL,
                        after_ts INTEGER NOT NULL,    -- the stored readings on either side (Unix ms UTC)
                        before_ts INTEGER NOT NULL,
                        detected_at INTEGER NOT NULL,
                        filled_at INTEGER             -- when the last missing reading arrived; NULL while open
                    );
                    CREATE INDEX sequence_gaps_open ON sequence_gaps (station, sensor, filled_at, after_ts);
                    CREATE INDEX sequence_gaps_by_time ON sequence_gaps (after_ts);
                    """)
        }
        migrator.registerMigration("v7: daily rollups computed from the hourly ones") { db in
            // The daily rollup cost a second upsert per stored reading (measured: the two rollup triggers together
            // took a third of the ingest time). Vietnam days are whole hours, so a day is the sum of its 24 hourly
            // rows: readings_daily becomes a view with the same columns, and hydrographs in days read the hourly
            // table (8,760 rows for a year of one sensor).
            try db.execute(
                sql: """
                    DROP TRIGGER readings_daily_on_insert;
                    DROP TRIGGER readings_daily_on_quality;
                    DROP TABLE readings_daily;
                    -- Rollups per day in Vietnam time (bucket: 00:00 +07:00, 17:00 UTC the day before), from the
                    -- hourly rollups; the columns of readings_hourly.
                    CREATE VIEW readings_daily AS
                    SELECT d.station, d.sensor, d.bucket, d.samples, d.min_value, d.max_value, d.sum_value, d.last_ts,
                           (SELECT h.last_value FROM readings_hourly AS h
                            WHERE h.station = d.station AND h.sensor = d.sensor
                              AND h.bucket = (d.last_ts / 3600000) * 3600000) AS last_value
                    FROM (SELECT station, sensor, \(Self.vietnamDay("bucket")) AS bucket, SUM(samples) AS samples,
                                 MIN(min_value) AS min_value, MAX(max_value) AS max_value, SUM(sum_value) AS sum_value,
                                 MAX(last_ts) AS last_ts
                          FROM readings_hourly GROUP BY station, sensor, \(Self.vietnamDay("bucket"))) AS d;
                    """)
        }
        migrator.registerMigration("v8: hourly rollups written per batch") { db in
            // The ingest and import paths add their good readings to readings_hourly once per sensor and hour per
            // transaction (HourlyRollups): the trigger's upsert per row was 5 µs of each reading's 11–14 µs insert.
            // A reading marked suspect or good again still recomputes its hour through readings_hourly_on_quality.
            try db.execute(sql: "DROP TRIGGER readings_hourly_on_insert")
        }
        migrator.registerMigration("v9: the gap rule's state in the engine's snapshots") { db in
            // The gap rule moved from SQL in the storage to the warning engine, which keeps its state per sensor like
            // every rule's. A warning open before the upgrade is carried over, so it is cleared, not raised again.
            try db.execute(
                sql: """
                    UPDATE engine_state SET state = json_set(state, '$.gap', json('{"level":0}'));
                    INSERT OR IGNORE INTO engine_state (station, sensor, state, updated_at)
                    SELECT station, sensor,
                           '{"forecast":{"level":0},"gap":{"level":0},"level":{"level":0},"rain":{"level":0},'
                           || '"rise":{"level":0},"silent":{"level":0},"spike":{}}', created_at
                    FROM active_warnings WHERE rule = 'gap';
                    UPDATE engine_state
                    SET state = json_set(state, '$.gap', json_object('level', 1, 'raisedAt', (
                        SELECT r.ts FROM active_warnings AS a JOIN warnings AS r ON r.id = a.warning_id
                        WHERE a.rule = 'gap' AND a.station = engine_state.station AND a.sensor = engine_state.sensor)))
                    WHERE EXISTS (SELECT 1 FROM active_warnings AS a
                                  WHERE a.rule = 'gap' AND a.station = engine_state.station
                                    AND a.sensor = engine_state.sensor);
                    """)
        }
        migrator.registerMigration("v10: the official risk level and the area of a warning event") { db in
            // risk_level: the natural-disaster risk level (1-5) of Decision 18/2021/QĐ-TTg the event states; NULL
            // where the rule has none, or the Decision's text found does not decide the case. area: the commune
            // (catalogue areas) the event is about.
            try db.execute(
                sql: """
                    ALTER TABLE warnings ADD COLUMN risk_level INTEGER;
                    ALTER TABLE warnings ADD COLUMN area TEXT;
                    """)
        }
        migrator.registerMigration("v11: the installation id in CAP identifiers") { db in
            // Drawn once, when the database is created (or upgraded): notice ids restart at 1 in a new database,
            // so CAP identifiers carry this too, and two installations (a reinstall, a second centre) never send
            // the same identifier. A backup restored keeps it, and with it the identifiers already sent.
            try db.execute(
                sql: """
                    CREATE TABLE installation (id TEXT NOT NULL);
                    INSERT INTO installation (id) VALUES (lower(hex(randomblob(6))));
                    """)
        }
        migrator.registerMigration("v12: bulletins in the alert outbox") { db in
            // The periodic situation report, as it was made at its time, so that every receiver and every retry
            // gets the same words; a notice of kind 'bulletin' names it.
            try db.execute(
                sql: """
                    CREATE TABLE bulletins (
                        id INTEGER PRIMARY KEY,
                        at INTEGER NOT NULL,          -- the time the figures are of (Unix ms UTC)
                        text TEXT NOT NULL,           -- plain text, Vietnamese then English
                        json TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    ALTER TABLE alert_notices ADD COLUMN bulletin_id INTEGER REFERENCES bulletins (id);
                    """)
        }
        migrator.registerMigration("v13: readings keyed by a series number, behind a readings view") { db in
            // Each row of readings repeated its station and sensor as text in its key, a REAL of 8 bytes for a
            // level read to the millimetre, and a full time for its arrival: 65 bytes a reading on disk, and a text
            // comparison at every step of every insert. Rows are now keyed by the number of their (station, sensor)
            // series, a value with at most three decimals is kept as an integer of thousandths, and the arrival as
            // milliseconds after the reading's time; `readings` becomes a view with the same columns and values, so
            // every query written for it (sqlite3, Grafana, the examples in docs/storage.md) reads the same rows.
            // The hourly rollups are keyed by the same numbers, behind a readings_hourly view.
            let value = Self.storedValue("r")
            try db.execute(
                sql: """
                    -- Every (station, sensor) with readings, numbered; a number is never reused.
                    CREATE TABLE series (
                        id INTEGER PRIMARY KEY,
                        station TEXT NOT NULL,
                        sensor TEXT NOT NULL,
                        UNIQUE (station, sensor)
                    );
                    INSERT INTO series (station, sensor)
                    SELECT station, sensor FROM sensors UNION SELECT station, sensor FROM readings
                    UNION SELECT station, sensor FROM readings_hourly ORDER BY 1, 2;

                    -- The readings themselves, by series and time.
                    CREATE TABLE series_readings (
                        series INTEGER NOT NULL,      -- series.id
                        ts INTEGER NOT NULL,
                        value NOT NULL,               -- INTEGER: thousandths (5561 is 5.561); REAL: the value itself
                        quality INTEGER NOT NULL DEFAULT 0,
                        seq INTEGER,
                        arrival_ms INTEGER NOT NULL,  -- received_at - ts
                        PRIMARY KEY (series, ts)
                    ) WITHOUT ROWID;
                    INSERT INTO series_readings (series, ts, value, quality, seq, arrival_ms)
                    SELECT s.id, r.ts,
                           CASE WHEN abs(r.value) < 1e12 AND round(r.value * 1000) / 1000.0 = r.value
                                THEN CAST(round(r.value * 1000) AS INTEGER) ELSE r.value END,
                           r.quality, r.seq, r.received_at - r.ts
                    FROM readings AS r JOIN series AS s ON s.station = r.station AND s.sensor = r.sensor
                    ORDER BY s.id, r.ts;

                    -- The hourly rollups, by series and hour.
                    CREATE TABLE series_hourly (
                        series INTEGER NOT NULL,
                        bucket INTEGER NOT NULL,
                        samples INTEGER NOT NULL,
                        min_value REAL NOT NULL,
                        max_value REAL NOT NULL,
                        sum_value REAL NOT NULL,
                        last_ts INTEGER NOT NULL,
                        last_value REAL NOT NULL,
                        PRIMARY KEY (series, bucket)
                    ) WITHOUT ROWID;
                    INSERT INTO series_hourly (series, bucket, samples, min_value, max_value, sum_value, last_ts,
                                               last_value)
                    SELECT s.id, h.bucket, h.samples, h.min_value, h.max_value, h.sum_value, h.last_ts, h.last_value
                    FROM readings_hourly AS h JOIN series AS s ON s.station = h.station AND s.sensor = h.sensor
                    ORDER BY s.id, h.bucket;

                    DROP TRIGGER readings_hourly_on_quality;
                    DROP TABLE readings;
                    DROP TABLE readings_hourly;
                    CREATE VIEW readings_hourly AS
                    SELECT s.station, s.sensor, h.bucket, h.samples, h.min_value, h.max_value, h.sum_value, h.last_ts,
                           h.last_value
                    FROM series_hourly AS h JOIN series AS s ON s.id = h.series;
                    CREATE VIEW readings AS
                    SELECT s.station, s.sensor, r.ts, \(value) AS value, r.quality, r.seq,
                           r.ts + r.arrival_ms AS received_at
                    FROM series_readings AS r JOIN series AS s ON s.id = r.series;

                    -- A reading marked suspect (or good again) after it was stored: its hour is recomputed.
                    CREATE TRIGGER series_hourly_on_quality AFTER UPDATE OF quality ON series_readings
                    WHEN OLD.quality != NEW.quality BEGIN
                        DELETE FROM series_hourly WHERE series = NEW.series AND bucket = (NEW.ts / 3600000) * 3600000;
                        INSERT INTO series_hourly (series, bucket, samples, min_value, max_value, sum_value, last_ts,
                                                   last_value)
                        SELECT NEW.series, (NEW.ts / 3600000) * 3600000, COUNT(*), MIN(\(value)),
                               MAX(\(value)), SUM(\(value)), MAX(r.ts),
                               -- A subquery: with several min() and max(), a bare value may come from any of
                               -- their rows (the trigger of v4 had that flaw), not the newest.
                               (SELECT \(Self.storedValue("l")) FROM series_readings AS l
                                WHERE l.series = NEW.series AND l.quality = 0
                                    AND l.ts >= (NEW.ts / 3600000) * 3600000
                                    AND l.ts < (NEW.ts / 3600000) * 3600000 + 3600000
                                ORDER BY l.ts DESC LIMIT 1)
                        FROM series_readings AS r
                        WHERE r.series = NEW.series AND r.quality = 0
                            AND r.ts >= (NEW.ts / 3600000) * 3600000 AND r.ts < (NEW.ts / 3600000) * 3600000 + 3600000
                        GROUP BY r.series;
                    END;
                    """)
        }
        migrator.registerMigration("v14: the open hour of each series summed when read") { db in
            // At 10,000 stations a batch holds one reading of each sensor, and each reading's rollup upsert was
            // 1.5 µs of the 8.5 its storing took. series_hourly now holds the closed hours of each series only,
            // those before the hour of its newest reading; readings_hourly adds that open hour, summed from
            // series_readings when read. The ingest writes an hour once, when its series moves past it
            // (HourlyRollups). The view's columns and values are the same as before.
            let value = Self.storedValue("r")
            try db.execute(
                sql: """
                    DELETE FROM series_hourly
                    WHERE (series, bucket) IN (
                        SELECT s.id, (SELECT (MAX(r.ts) / 3600000) * 3600000 FROM series_readings AS r
                                      WHERE r.series = s.id)
                        FROM series AS s);

                    DROP VIEW readings_hourly;
                    CREATE VIEW readings_hourly AS
                    SELECT s.station, s.sensor, h.bucket, h.samples, h.min_value, h.max_value, h.sum_value, h.last_ts,
                           h.last_value
                    FROM series_hourly AS h JOIN series AS s ON s.id = h.series
                    UNION ALL
                    -- The open hour of each series. Grouped by station and sensor, so that a query of one sensor
                    -- reaches its rows through the indexes (SQLite moves such terms into the group's WHERE).
                    SELECT s.station, s.sensor, (r.ts / 3600000) * 3600000, COUNT(*), MIN(\(value)), MAX(\(value)),
                           SUM(\(value)), MAX(r.ts),
                           (SELECT \(Self.storedValue("l")) FROM series_readings AS l
                            WHERE l.series = s.id AND l.quality = 0 AND l.ts >= (r.ts / 3600000) * 3600000
                            ORDER BY l.ts DESC LIMIT 1)
                    FROM series AS s JOIN series_readings AS r ON r.series = s.id
                    WHERE r.quality = 0
                        AND r.ts >= (SELECT (MAX(m.ts) / 3600000) * 3600000 FROM series_readings AS m
                                     WHERE m.series = s.id)
                    GROUP BY s.station, s.sensor, (r.ts / 3600000) * 3600000;

                    -- A reading marked suspect (or good again) after it was stored: its hour is recomputed when
                    -- it is closed; the open hour is summed when read.
                    DROP TRIGGER series_hourly_on_quality;
                    CREATE TRIGGER series_hourly_on_quality AFTER UPDATE OF quality ON series_readings
                    WHEN OLD.quality != NEW.quality
                        AND (NEW.ts / 3600000) * 3600000 < (SELECT (MAX(m.ts) / 3600000) * 3600000
                                                            FROM series_readings AS m WHERE m.series = NEW.series)
                    BEGIN
                        DELETE FROM series_hourly WHERE series = NEW.series AND bucket = (NEW.ts / 3600000) * 3600000;
                        INSERT INTO series_hourly (series, bucket, samples, min_value, max_value, sum_value, last_ts,
                                                   last_value)
                        \(Self.hourRollup(series: "NEW.series", bucket: "(NEW.ts / 3600000) * 3600000"));
                    END;
                    """)
        }
        return migrator
    }

    /// The rollup tables and the SQL of the bucket a time falls in (hours in UTC, days at 00:00 Vietnam time).
    static let rollups: [(table: String, width: Int64, bucket: @Sendable (String) -> String)] = [
        ("readings_hourly", 3_600_000, { "(\($0) / 3600000) * 3600000" }),
        ("readings_daily", 86_400_000, { vietnamDay($0) }),
    ]

    /// SQL for the value of the `series_readings` row `row`: an INTEGER there is thousandths (`ReadingInsert`).
    /// SQLite divides as Swift does, so the value read is the very Double that was stored.
    static func storedValue(_ row: String) -> String {
        "CASE WHEN typeof(\(row).value) = 'integer' THEN \(row).value / 1000.0 ELSE \(row).value END"
    }

    /// SQL selecting the `series_hourly` row of series `series` and the hour starting at `bucket` (SQL expressions),
    /// summed from its good readings; no row when it has none. The last value is taken from a subquery: with several
    /// min() and max(), a bare value may come from any of their rows (the trigger of v4 had that flaw), not the
    /// newest.
    static func hourRollup(series: String, bucket: String) -> String {
        let value = storedValue("r")
        return """
            SELECT \(series), \(bucket), COUNT(*), MIN(\(value)), MAX(\(value)), SUM(\(value)), MAX(r.ts),
                   (SELECT \(storedValue("l")) FROM series_readings AS l
                    WHERE l.series = \(series) AND l.quality = 0 AND l.ts >= \(bucket) AND l.ts < \(bucket) + 3600000
                    ORDER BY l.ts DESC LIMIT 1)
            FROM series_readings AS r
            WHERE r.series = \(series) AND r.quality = 0 AND r.ts >= \(bucket) AND r.ts < \(bucket) + 3600000
            GROUP BY r.series
            """
    }

    /// SQL for the start (Unix ms) of the Vietnam day a time falls in.
    static func vietnamDay(_ time: String) -> String {
        "(((\(time) + 25200000) / 86400000) * 86400000 - 25200000)"
    }
}
