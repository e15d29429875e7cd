#!/usr/bin/env python3
"""A stand-in FloodWatch API for looking at the dashboard page without the real server. Standard library only.

Serves Sources/HTTPAPI/Resources/dashboard.html at `/` and, from generated data, the routes the page uses as
Sources/HTTPAPI/Resources/openapi.yaml describes them:

  GET  /api/stations                     the 9 stations of sensors/stations.yaml with latest readings
  GET  /api/stations/{id}/readings       raw points, or buckets with ?step= (rain buckets carry `sum`)
  GET  /api/warnings                     ?station= &from= &to= &active=true &limit=
  POST /api/warnings/{warning_id}/ack    401 without a token, 403 with an unknown one, 200 with "officer",
                                         409 when already acknowledged
  GET  /api/events                       server-sent events: a `reading` every 2 s; one `warning` after
                                         --warning-after seconds (a forecast of BĐ III at Câu Lâu)

The scene: a flood rising at Câu Lâu above BĐ II (level-2 warning, not acknowledged), Ái Nghĩa and Giao Thủy
above BĐ I, Hội An going over and under BĐ I with the tide, heavy rain at Trà My (a rain warning), two older
floods in the past year, and a two-hour gap in the Tam Kỳ record yesterday.

--read-token TOKEN makes every GET need `Authorization: Bearer TOKEN` (or "officer"), to see the page ask for a
reader token and fall back to polling. Prints `ready http://127.0.0.1:<port>/` once listening.
"""
import argparse
import json
import math
import os
import re
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

VN = timezone(timedelta(hours=7))
HOUR = 3600
STEP = 300  # every gauge reports every 5 minutes
PAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources", "HTTPAPI", "Resources",
                    "dashboard.html")

# From sensors/stations.yaml, upstream to the sea within each river. `flood`: base level, flood amplitude, hours
# from the start of the mock to the flood's peak, tide amplitude (tidal stations near the sea).
STATIONS = [
    dict(id="hoi-khach", name="Hội Khách", river="Vu Gia", lat=15.85, lon=107.97, sensors=["level", "rain"],
         alarm_levels={"1": 14.50, "3": 16.50}, record=None, flood=(9.0, 5.0, -2, 0)),
    dict(id="ai-nghia", name="Ái Nghĩa", river="Vu Gia", lat=15.88, lon=108.12, sensors=["level", "rain"],
         alarm_levels={"1": 6.50, "2": 8.00, "3": 9.00}, record={"level": 10.77, "year": 2009},
         flood=(2.5, 5.0, 3, 0)),
    dict(id="tra-my", name="Trà My", river="Tranh", lat=15.35, lon=108.23, sensors=["rain"],
         alarm_levels={}, record=None, flood=None),
    dict(id="nong-son", name="Nông Sơn", river="Thu Bồn", lat=15.70, lon=108.03, sensors=["level", "rain"],
         alarm_levels={"2": 13.00, "3": 15.00}, record=None, flood=(7.5, 5.2, 2, 0)),
    dict(id="giao-thuy", name="Giao Thủy", river="Thu Bồn", lat=15.83, lon=108.11, sensors=["level", "rain"],
         alarm_levels={"1": 6.50, "2": 7.50, "3": 8.80}, record={"level": 10.06, "year": 1964},
         flood=(2.0, 5.3, 5, 0)),
    dict(id="cau-lau", name="Câu Lâu", river="Thu Bồn", lat=15.852, lon=108.268, sensors=["level", "rain"],
         alarm_levels={"1": 2.00, "2": 3.00, "3": 4.00}, record={"level": 5.61, "year": 2025},
         flood=(0.6, 3.3, 8, 0)),
    dict(id="hoi-an", name="Hội An", river="Thu Bồn", lat=15.88, lon=108.33, sensors=["level", "rain"],
         alarm_levels={"1": 1.00, "2": 1.50, "3": 2.00}, record={"level": 3.40, "year": 1964},
         flood=(0.2, 1.2, 9, 0.35)),
    dict(id="cam-le", name="Cẩm Lệ", river="Hàn", lat=16.01, lon=108.21, sensors=["level", "rain"],
         alarm_levels={"3": 2.50}, record=None, flood=(0.3, 1.5, 6, 0.45)),
    dict(id="tam-ky", name="Tam Kỳ", river="Tam Kỳ", lat=15.57, lon=108.48, sensors=["level", "rain"],
         alarm_levels={"1": 1.70, "2": 2.20, "3": 2.70}, record=None, flood=(0.2, 1.0, 6, 0.45)),
]
BY_ID = {s["id"]: s for s in STATIONS}
START = int(time.time()) // STEP * STEP
ROMAN = {1: "I", 2: "II", 3: "III"}


def noise(key, t):
    """Deterministic noise in [-1, 1]: the same reading every time it is asked for."""
    x = math.sin((t // STEP) * 12.9898 + len(key) * 78.233) * 43758.5453
    return (x - math.floor(x)) * 2 - 1


def pulse(t, peak, rise_hours=38.0, k=6):
    """A flood wave: 0 before it starts, 1 at `peak`, a long recession after."""
    x = (t - (peak - rise_hours * HOUR)) / (rise_hours * HOUR)
    return 0.0 if x <= 0 else (x * math.exp(1 - x)) ** k


def level(station, t):
    base, amplitude, peak_hours, tide = station["flood"]
    v = base + amplitude * pulse(t, START + peak_hours * HOUR)
    # Two older floods, to see something in the 30-day and one-year views.
    v += 0.55 * amplitude * pulse(t, START - 40 * 86400, 20)
    v += 0.8 * amplitude * pulse(t, START - 240 * 86400, 30)
    v += tide * math.sin(2 * math.pi * t / (12.42 * HOUR))
    return round(v + 0.006 * noise(station["id"], t), 3)


def rain(station, t):
    """mm since the previous report (5 minutes): a storm over the last two days, heaviest at Trà My."""
    scale = 1.1 if station["id"] == "tra-my" else 0.9
    envelope = math.exp(-(((t - (START - 10 * HOUR)) / (14 * HOUR)) ** 2))
    envelope += 0.6 * math.exp(-(((t - (START - 40 * 86400 - 12 * HOUR)) / (10 * HOUR)) ** 2))
    bursts = 0.5 + 0.5 * math.sin(t / (1.7 * HOUR) + len(station["id"])) + 0.4 * noise(station["id"] + "r", t)
    return round(max(0.0, scale * 3.2 * envelope * bursts), 1)


def gap(station, t):
    """Tam Kỳ lost two hours yesterday (the page must not draw a line across the gap)."""
    return station["id"] == "tam-ky" and START - 20 * HOUR <= t < START - 18 * HOUR


def rfc3339(t):
    return datetime.fromtimestamp(t, VN).isoformat(timespec="seconds")


def parse_time(text):
    if not text or not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$", text):
        raise ValueError
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def num(v, digits, lang):
    text = f"{v:.{digits}f}"
    return text.replace(".", ",") if lang == "vi" else text


def local(t):
    return datetime.fromtimestamp(t, VN).strftime("%H:%M %d/%m")


# ---- warnings ----------------------------------------------------------------------------------------------

EVENTS = []  # every warning event, oldest first
LOCK = threading.Lock()


def add_event(station, sensor, rule, event, lvl, t, wid, message, title, value=None, threshold=None):
    e = dict(id=len(EVENTS) + 1, warning_id=wid, station=station["id"], sensor=sensor, rule=rule, event=event,
             level=lvl, time=rfc3339(t), value=value, threshold=threshold, projected_time=None, late=False,
             message=message, title=title, acknowledged_by=None, acknowledged_at=None, note=None)
    EVENTS.append(e)
    return e


def level_message(s, v, t, lvl, trend, event):
    ref = s["alarm_levels"].get(str(lvl)) if lvl else None
    name = s["name"] + " (" + s["river"] + "): "
    out = {}
    for lang in ("vi", "en"):
        parts = [num(v, 2, lang) + " m " + ("lúc " if lang == "vi" else "at ") + local(t)]
        if ref is not None:
            diff = num(abs(v - ref), 2, lang) + " m"
            if abs(v - ref) < 0.005:
                parts.append(("đạt báo động " if lang == "vi" else "at alarm level ") + ROMAN[lvl])
            elif lang == "vi":
                parts.append(("vượt " if v >= ref else "dưới ") + "báo động " + ROMAN[lvl] + " " + diff)
            else:
                parts.append(diff + (" above" if v >= ref else " below") + " alarm level " + ROMAN[lvl])
        parts.append({"vi": ["đang xuống", "ít thay đổi", "đang lên"], "en": ["falling", "steady", "rising"]}[lang]
                     [0 if trend <= -0.02 else 2 if trend >= 0.02 else 1])
        text = name + ", ".join(parts)
        if event == "cleared":
            text += " — hết cảnh báo" if lang == "vi" else " — warning cleared"
        out[lang] = text
    return out


def generate_warnings():
    """Level warnings from the generated water levels of the last 48 h (deadband 0.10 m, no hold), and the 24-h
    rain warning at Trà My."""
    wid = 100
    for s in STATIONS:
        if not s["flood"]:
            continue
        wid += 1
        current = 0
        for t in range(START - 48 * HOUR, START + 1, STEP):
            v = level(s, t)
            up = max([int(k) for k, a in s["alarm_levels"].items() if v >= a], default=0)
            down = max([int(k) for k, a in s["alarm_levels"].items() if v >= a - 0.10], default=0)
            new = up if up > current else (down if down < current else current)
            if new == current:
                continue
            event = "raised" if current == 0 else "cleared" if new == 0 else \
                "escalated" if new > current else "deescalated"
            trend = v - level(s, t - HOUR)
            shown = new or current
            title = {"vi": "Cảnh báo lũ, báo động " + ROMAN[shown], "en": "Flood warning, alarm level " + ROMAN[shown]}
            add_event(s, "level", "level", event, shown, t, wid, level_message(s, v, t, shown, trend, event),
                      title, value=v, threshold=s["alarm_levels"][str(shown)])
            current = new
    # Rain at Trà My over 24 h, official thresholds [100, 200, 400] mm.
    s = BY_ID["tra-my"]
    wid += 1
    current = 0
    window = []
    for t in range(START - 72 * HOUR, START + 1, STEP):
        window.append(rain(s, t))
        window = window[-288:]
        total = sum(window)
        new = max([i + 1 for i, th in enumerate((100, 200, 400)) if total >= th], default=0)
        if new > current:
            msg = {"vi": f"Trà My (Tranh): mưa {num(total, 1, 'vi')} mm trong 24 giờ đến {local(t)} "
                         f"(ngưỡng {(100, 200, 400)[new - 1]} mm)",
                   "en": f"Trà My (Tranh): {num(total, 1, 'en')} mm of rain in 24 h to {local(t)} "
                         f"(threshold {(100, 200, 400)[new - 1]} mm)"}
            title = {"vi": f"Cảnh báo mưa lớn, cấp {new}", "en": f"Heavy rain warning, level {new}"}
            add_event(s, "rain", "rain", "raised" if current == 0 else "escalated", new, t, wid, msg, title,
                      value=round(total, 1), threshold=(100, 200, 400)[new - 1])
            current = new
    # Ái Nghĩa's warning was acknowledged by the officer on duty (to see acknowledged_by on the page).
    active = active_warnings()
    for e in active:
        if e["station"] == "ai-nghia":
            acknowledge(e, "Nguyễn Văn An (trực ban)", "Đã báo UBND xã", START - 20 * 60)


def active_warnings():
    latest = {}
    for e in EVENTS:
        latest[e["warning_id"]] = e
    active = [e for e in latest.values() if e["event"] != "cleared"]
    return sorted(active, key=lambda e: (e["time"], e["id"]), reverse=True)


def acknowledge(event, by, note, t):
    e = dict(event)
    e.update(id=len(EVENTS) + 1, event="acknowledged", acknowledged_by=by, acknowledged_at=rfc3339(t), note=note,
             time=rfc3339(t))
    for lang, prefix in (("vi", "Đã xác nhận bởi "), ("en", "Acknowledged by ")):
        e["message"] = dict(e["message"])
        e["message"][lang] = prefix + by + (": " + note if note else "") + " — " + event["message"][lang]
    EVENTS.append(e)
    return e


# ---- stations and readings ---------------------------------------------------------------------------------

def station_json(s, now):
    t = now // STEP * STEP
    while gap(s, t):
        t -= STEP
    latest = {}
    if "level" in s["sensors"]:
        v = level(s, t)
        latest["level"] = dict(time=rfc3339(t), value=v, quality=0,
                               trend_m_per_h=round(v - level(s, t - HOUR), 3))
    if "rain" in s["sensors"]:
        latest["rain"] = dict(time=rfc3339(t), value=rain(s, t), quality=0, trend_m_per_h=None)
    alarm = 0
    if "level" in latest:
        v = latest["level"]["value"]
        alarm = max([int(k) for k, a in s["alarm_levels"].items() if v >= a], default=0)
        if s["record"] and v > s["record"]["level"]:
            alarm = 4
    warnings = [e for e in active_warnings() if e["station"] == s["id"]]
    out = {k: s[k] for k in ("id", "name", "river", "lat", "lon", "sensors", "alarm_levels", "record")}
    out.update(basin="Tam Kỳ" if s["id"] == "tam-ky" else "Vu Gia – Thu Bồn", latest=latest, alarm_level=alarm,
               warning_level=max([e["level"] for e in warnings], default=0), warnings=warnings)
    return out


def readings(s, sensor, frm, to, step):
    times = [t for t in range((frm + STEP - 1) // STEP * STEP, to + 1, STEP) if not gap(s, t)]
    value = (lambda t: level(s, t)) if sensor == "level" else (lambda t: rain(s, t))
    out = dict(station=s["id"], sensor=sensor, unit="m" if sensor == "level" else "mm", **{"from": rfc3339(frm)},
               to=rfc3339(to), step=step)
    if step is None:
        if len(times) > 10000:
            raise ValueError("too many readings: ask for buckets with step")
        out["points"] = [dict(time=rfc3339(t), value=value(t), quality=0) for t in times]
        return out
    width = int(step[:-1]) * {"m": 60, "h": HOUR, "d": 86400}[step[-1]]
    buckets = {}
    for t in times:
        # Buckets start at whole steps of Vietnam time (a day bucket at local midnight).
        start = (t + 7 * HOUR) // width * width - 7 * HOUR
        buckets.setdefault(start, []).append(value(t))
    if len(buckets) > 5000:
        raise ValueError("more than 5000 buckets")
    out["buckets"] = []
    for start, vs in sorted(buckets.items()):
        b = dict(time=rfc3339(start), count=len(vs), min=min(vs), max=max(vs), mean=round(sum(vs) / len(vs), 3),
                 last=vs[-1])
        if sensor == "rain":
            b["sum"] = round(sum(vs), 1)
        out["buckets"].append(b)
    return out


# ---- HTTP --------------------------------------------------------------------------------------------------

class Handler(BaseHTTPRequestHandler):
    server_version = "FloodWatchMock"
    read_token = None

    def log_message(self, fmt, *args):
        if os.environ.get("MOCK_LOG"):
            super().log_message(fmt, *args)

    def send_json(self, status, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, message, parameter=None):
        body = {"message": message}
        if parameter:
            body["parameter"] = parameter
        self.send_json(status, {"error": body})

    def token(self):
        auth = self.headers.get("Authorization", "")
        return auth[7:] if auth.startswith("Bearer ") else None

    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if url.path == "/":
            with open(PAGE, "rb") as f:
                data = f.read()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if url.path.startswith("/api/") and self.read_token and self.token() not in (self.read_token, "officer"):
            return self.error(401, "a reader token is needed" if not self.token() else "unknown token")
        now = int(time.time())
        if url.path == "/api/stations":
            return self.send_json(200, {"stations": [station_json(s, now) for s in STATIONS]})
        m = re.fullmatch(r"/api/stations/([a-z0-9-]+)/readings", url.path)
        if m:
            s = BY_ID.get(m.group(1))
            if not s:
                return self.error(404, "no station " + m.group(1))
            sensor = q.get("sensor", "level")
            if sensor not in s["sensors"]:
                return self.error(400, "the station has no " + sensor + " sensor", "sensor")
            try:
                to = parse_time(q["to"]) if "to" in q else now
            except ValueError:
                return self.error(400, "not an RFC 3339 time with an offset: " + q["to"], "to")
            try:
                frm = parse_time(q["from"]) if "from" in q else to - 86400
            except ValueError:
                return self.error(400, "not an RFC 3339 time with an offset: " + q["from"], "from")
            step = q.get("step")
            if step is not None and (not re.fullmatch(r"[0-9]+[mhd]", step) or
                                     int(step[:-1]) * {"m": 1, "h": 60, "d": 1440}[step[-1]] < 5):
                return self.error(400, "step: a whole number with m, h or d, at least 5m", "step")
            try:
                return self.send_json(200, readings(s, sensor, frm, min(to, now), step))
            except ValueError as e:
                return self.error(400, str(e), "step")
        if url.path == "/api/warnings":
            with LOCK:
                events = active_warnings() if q.get("active") == "true" else list(reversed(EVENTS))
            if "station" in q:
                if q["station"] not in BY_ID:
                    return self.error(404, "no station " + q["station"])
                events = [e for e in events if e["station"] == q["station"]]
            try:
                frm = parse_time(q["from"]) if "from" in q else None
                to = parse_time(q["to"]) if "to" in q else None
            except ValueError:
                return self.error(400, "not an RFC 3339 time with an offset", "from")
            events = [e for e in events if (frm is None or parse_time(e["time"]) >= frm)
                      and (to is None or parse_time(e["time"]) <= to)]
            return self.send_json(200, {"warnings": events[: int(q.get("limit", 200))]})
        if url.path == "/api/events":
            if self.server.no_events:
                return self.error(404, "no live stream in this mock (--no-events)")
            return self.events()
        return self.error(404, "not found")

    def events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        opened = time.time()
        pairs = [(s, sensor) for s in STATIONS for sensor in s["sensors"]]
        # Chosen-first: the most interesting station reports often, the rest in turn.
        i = 0
        try:
            self.wfile.write(b"retry: 3000\n\n")
            self.wfile.flush()
            while True:
                time.sleep(2)
                s, sensor = (BY_ID["cau-lau"], "level") if i % 2 == 0 else pairs[(i // 2) % len(pairs)]
                i += 1
                t = int(time.time())
                value = level(s, t) if sensor == "level" else rain(s, t)
                data = dict(station=s["id"], sensor=sensor, time=rfc3339(t), value=value, quality=0)
                self.wfile.write(b"event: reading\ndata: " + json.dumps(data, ensure_ascii=False).encode() + b"\n\n")
                if self.server.warning_after and not self.server.warned and time.time() - opened > \
                        self.server.warning_after:
                    self.server.warned = True
                    with LOCK:
                        e = forecast_warning(t)
                    self.wfile.write(b"event: warning\ndata: " + json.dumps(e, ensure_ascii=False).encode() + b"\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_POST(self):
        m = re.fullmatch(r"/api/warnings/([0-9]+)/ack", urlparse(self.path).path)
        if not m:
            return self.error(404, "not found")
        token = self.token()
        if not token:
            return self.error(401, "an officer's token is needed")
        if token != "officer":
            return self.error(403, "this token may not acknowledge warnings")
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        except ValueError:
            return self.error(400, "the body is not JSON", "body")
        if not isinstance(body.get("by"), str) or not body["by"].strip():
            return self.error(400, "who acknowledges: `by` is needed", "by")
        with LOCK:
            latest = {e["warning_id"]: e for e in EVENTS}
            e = latest.get(int(m.group(1)))
            if not e:
                return self.error(404, "no warning " + m.group(1))
            if e["event"] == "cleared":
                return self.error(409, "warning " + m.group(1) + " is cleared")
            if e["acknowledged_by"]:
                return self.error(409, "warning " + m.group(1) + " was already acknowledged by " + e["acknowledged_by"])
            done = acknowledge(e, body["by"].strip(), body.get("note") or None, int(time.time()))
        return self.send_json(200, done)


def forecast_warning(t):
    s = BY_ID["cau-lau"]
    v = level(s, t)
    msg = {"vi": f"Câu Lâu (Thu Bồn): dự báo đạt báo động III (4,00 m) khoảng {local(START + 6 * HOUR)}; "
                 f"hiện {num(v, 2, 'vi')} m lúc {local(t)[:5]}, lên 0,12 m/giờ",
           "en": f"Câu Lâu (Thu Bồn): projected to reach alarm level III (4.00 m) around {local(START + 6 * HOUR)}; "
                 f"now {num(v, 2, 'en')} m at {local(t)[:5]}, rising 0.12 m/h"}
    title = {"vi": "Dự báo lũ đạt báo động III", "en": "Flood forecast: alarm level III expected"}
    e = add_event(s, "level", "forecast", "raised", 3, t, 900, msg, title, value=v, threshold=4.0)
    e["projected_time"] = rfc3339(START + 6 * HOUR)
    return e


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--read-token", help="GETs need this Bearer token (or the officer's)")
    parser.add_argument("--warning-after", type=float, default=25, help="seconds into a stream; 0: never")
    parser.add_argument("--no-events", action="store_true",
                        help="answer /api/events 404 (the page then polls). chromium --virtual-time-budget waits for "
                             "every pending request, so an endless event stream keeps it from ever finishing")
    args = parser.parse_args()
    generate_warnings()
    Handler.read_token = args.read_token
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.warning_after = args.warning_after
    server.warned = False
    server.no_events = args.no_events
    print(f"ready http://127.0.0.1:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
