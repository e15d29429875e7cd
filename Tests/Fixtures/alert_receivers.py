#!/usr/bin/env python3
"""Test receivers for FloodWatch alerts: a webhook HTTP server and an SMTP server, Python standard library only.

Each request and mail is appended as one JSON line to a file in --out, so a test can read what arrived.
The webhook answers 500 to its first --fail-first requests (a receiver in trouble), then 200; it checks the
X-FloodWatch-Signature header with --secret independently of FloodWatch's own code, and marks a request whose
Idempotency-Key it already accepted as a duplicate (acting once per key, as a real receiver would).

Prints one line `ready http=<port> smtp=<port>` once both listen.
"""
import argparse
import asyncio
import hashlib
import hmac
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def append(path, record):
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def webhook_server(port, out, secret, fail_first):
    state = {"requests": 0}
    lock = threading.Lock()
    # Idempotency, as a real receiver does it: keys already acted on, also from before a restart.
    accepted = set()
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                if record["status"] == 200:
                    accepted.add(record["idempotency_key"])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            key = self.headers.get("Idempotency-Key")
            with lock:
                state["requests"] += 1
                failing = state["requests"] <= fail_first
                duplicate = not failing and key in accepted
                if not failing:
                    accepted.add(key)
            expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            status = 500 if failing else 200
            append(out, {
                "time": time.time(),
                "path": self.path,
                "status": status,
                "idempotency_key": key,
                "duplicate": duplicate,
                "signature_ok": hmac.compare_digest(expected, self.headers.get("X-FloodWatch-Signature", "")),
                "content_type": self.headers.get("Content-Type"),
                "body": json.loads(body.decode("utf-8")),
            })
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            reply = b"try again later" if failing else b"ok"
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


async def smtp_session(reader, writer, out):
    async def say(line):
        writer.write((line + "\r\n").encode())
        await writer.drain()

    await say("220 localhost test SMTP")
    sender, recipients = None, []
    while True:
        line = await reader.readline()
        if not line:
            break
        command = line.decode("utf-8", "replace").strip()
        verb = command.split(" ")[0].upper()
        if verb in ("EHLO", "HELO"):
            await say("250 localhost")
        elif verb == "MAIL":
            sender, recipients = command.split(":", 1)[1].strip(), []
            await say("250 OK")
        elif verb == "RCPT":
            recipients.append(command.split(":", 1)[1].strip())
            await say("250 OK")
        elif verb == "DATA":
            await say("354 end with <CRLF>.<CRLF>")
            data = b""
            while not data.endswith(b"\r\n.\r\n"):
                chunk = await reader.readline()
                if not chunk:
                    return
                data += chunk
            append(out, {"time": time.time(), "from": sender, "to": recipients,
                         "data": data[:-5].decode("utf-8", "replace")})
            await say("250 OK queued")
        elif verb == "QUIT":
            await say("221 bye")
            break
        else:
            await say("250 OK")
    writer.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--http-port", type=int, default=0)
    parser.add_argument("--smtp-port", type=int, default=0)
    parser.add_argument("--secret", default="")
    parser.add_argument("--fail-first", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    http_port = webhook_server(args.http_port, os.path.join(args.out, "webhooks.jsonl"), args.secret, args.fail_first)
    mail = os.path.join(args.out, "mail.jsonl")
    server = await asyncio.start_server(lambda r, w: smtp_session(r, w, mail), "127.0.0.1", args.smtp_port,
                                        reuse_address=True)
    smtp_port = server.sockets[0].getsockname()[1]
    print(f"ready http={http_port} smtp={smtp_port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
