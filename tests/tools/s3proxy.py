#!/usr/bin/env python3
"""s3proxy.py - a fault-injecting HTTP proxy in front of s3rver, for tests.

    s3proxy.py --port PORT --upstream HOST:PORT --state DIR [--tls-cert PEM --tls-key PEM]

With --tls-cert/--tls-key it speaks HTTPS to its clients (plain HTTP to the
upstream), so a test can check the client's certificate verification.

Every request is passed on unchanged (the Host header too, so the store
checks the client's own signature), except:

  * What s3rver lacks of S3's multipart rules is done here: uploads are
    tracked from CreateMultipartUpload on; a part whose x-amz-content-sha256
    does not match its body is refused (XAmzContentSHA256Mismatch), as is a
    CompleteMultipartUpload naming a non-final part under 5 MiB
    (EntityTooSmall), parts out of order (InvalidPartOrder) or a part or
    ETag that was not uploaded (InvalidPart); AbortMultipartUpload (DELETE ?uploadId=) and
    ListMultipartUploads (GET /BUCKET?uploads) are answered from that
    record.  A plain PUT's x-amz-content-sha256 is checked too.
  * Faults, scripted by DIR/faults.json (read at every request, so a test
    can change it while the proxy runs):
        {"deny": true}                   every request: 403 AccessDenied
        {"share": 0.3, "kinds": ["503", "500", "reset", "truncate"],
         "methods": ["GET", "PUT", "POST", "HEAD", "DELETE"]}
    A share of the requests (chosen by a fixed hash of their sequence
    number, so a run is reproducible) gets one of the kinds in turn:
        503       503 SlowDown, not passed on
        500       500 InternalError, not passed on
        reset     a PUT's connection is reset halfway through its body (not
                  passed on); a GET's answer is reset halfway through its
                  body; anything else is reset before it is answered
        truncate  a GET's answer announces its full length but ends halfway
                  (other requests: 503)
        lost      the request is passed on and done, then the connection is
                  reset instead of answering (the client must retry a
                  request that already took effect); each distinct request
                  (method and URL) is lost once only, so its retry passes
Each request is logged to DIR/proxy.log as "SEQ METHOD PATH STATUS FAULT".
Stop it with SIGTERM.  Python standard library only.
"""
import argparse
import hashlib
import http.client
import http.server
import json
import os
import re
import socket
import ssl
import struct
import sys
import threading
import urllib.parse

MIN_PART = 5 * 1024 * 1024


class State:
    def __init__(self, upstream, state_dir):
        self.upstream = upstream
        self.dir = state_dir
        self.lock = threading.Lock()
        self.seq = 0
        self.nfaults = 0
        self.lost_seen = set()  # (method, path) of the requests "lost" once
        self.uploads = {}  # upload id -> {"bucket", "key", "parts": {n: size}}
        self.log = open(os.path.join(state_dir, "proxy.log"), "a", buffering=1)

    def next_seq(self):
        with self.lock:
            self.seq += 1
            return self.seq

    def faults(self):
        try:
            with open(os.path.join(self.dir, "faults.json")) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}


def pick_fault(state, cfg, seq, method, path):
    if cfg.get("deny"):
        return "deny"
    share = float(cfg.get("share", 0))
    kinds = cfg.get("kinds", [])
    if share <= 0 or not kinds or method not in cfg.get("methods", [method]):
        return None
    if (seq * 2654435761 >> 7) % 1000 >= share * 1000:
        return None
    with state.lock:
        state.nfaults += 1
        kind = kinds[state.nfaults % len(kinds)]
        if kind == "lost":
            if (method, path) in state.lost_seen:
                return None
            state.lost_seen.add((method, path))
        return kind


def error_xml(code, msg):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code>'
            '<Message>%s</Message></Error>' % (code, msg)).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, fmt, *args):
        pass

    # ---- helpers -------------------------------------------------------
    def note(self, status, fault):
        rng = self.headers.get("Range")
        self.state.log.write("%d %s %s %s %s%s\n" % (self.seq, self.command, self.path, status,
                                                     fault or "-", " " + rng if rng else ""))

    def reply(self, status, body=b"", headers=None, fault=None):
        if getattr(self, "lost", False):
            self.lost = False
            return self.reset("lost %s" % status)
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if not any(k.lower() == "content-length" for k in (headers or {})):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.note(status, fault)

    def reset(self, fault):
        self.note("RST", fault)
        try:
            self.wfile.flush()
        except OSError:
            pass
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def read_body(self, limit=None):
        n = int(self.headers.get("Content-Length") or 0)
        if limit is not None:
            n = min(n, limit)
        data = b""
        while len(data) < n:
            chunk = self.rfile.read(n - len(data))
            if not chunk:
                break
            data += chunk
        return data

    def split(self):
        u = urllib.parse.urlsplit(self.path)
        parts = u.path.lstrip("/").split("/", 1)
        q = urllib.parse.parse_qs(u.query, keep_blank_values=True)
        return parts[0], urllib.parse.unquote(parts[1]) if len(parts) > 1 else "", q

    def forward(self, body):
        conn = http.client.HTTPConnection(*self.state.upstream, timeout=120)
        headers = {k: v for k, v in self.headers.items()}
        conn.request(self.command, self.path, body=body if body else None, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        drop = ("transfer-encoding", "connection") + (() if self.command == "HEAD"
                                                      else ("content-length",))
        hdrs = {k: v for k, v in resp.getheaders() if k.lower() not in drop}
        conn.close()
        return resp.status, hdrs, data

    # ---- multipart bookkeeping ------------------------------------------
    def sha_ok(self, body):
        want = self.headers.get("x-amz-content-sha256", "")
        if re.fullmatch(r"[0-9a-fA-F]{64}", want):
            return hashlib.sha256(body).hexdigest() == want.lower()
        return True

    def list_uploads(self, bucket, prefix):
        with self.state.lock:
            ups = [(u["key"], uid) for uid, u in self.state.uploads.items()
                   if u["bucket"] == bucket and u["key"].startswith(prefix)]
        xml = ['<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult>'
               '<Bucket>%s</Bucket><IsTruncated>false</IsTruncated>' % bucket]
        for key, uid in sorted(ups):
            xml.append("<Upload><Key>%s</Key><UploadId>%s</UploadId>"
                       "<Initiated>2000-01-01T00:00:00.000Z</Initiated></Upload>" % (key, uid))
        xml.append("</ListMultipartUploadsResult>")
        self.reply(200, "".join(xml).encode(), {"Content-Type": "application/xml"})

    def complete(self, uid, body):
        with self.state.lock:
            up = self.state.uploads.get(uid)
            parts = dict(up["parts"]) if up else None
        if parts is None:
            return self.reply(404, error_xml("NoSuchUpload", "no such upload"))
        given = re.findall(rb"<Part><PartNumber>(\d+)</PartNumber><ETag>([^<]*)</ETag></Part>",
                           body)
        nums = [int(n) for n, _ in given]
        if not nums or any(a >= b for a, b in zip(nums, nums[1:])):
            return self.reply(400, error_xml("InvalidPartOrder", "parts not in ascending order"))
        with self.state.lock:
            etags = dict(up["etags"])
        for n, etag in given:
            want = etags.get(int(n))
            if want is None or want.strip('"') != etag.decode().replace("&quot;", '"').strip('"'):
                return self.reply(400, error_xml(
                    "InvalidPart", "part %d was not uploaded with ETag %s" % (int(n), etag)))
        for n in nums[:-1]:
            if parts.get(n, 0) < MIN_PART:
                return self.reply(400, error_xml(
                    "EntityTooSmall", "part %d is %d bytes, under 5 MiB" % (n, parts.get(n, 0))))
        status, hdrs, data = self.forward(body)
        if status == 200 and b"<Error>" not in data:
            with self.state.lock:
                self.state.uploads.pop(uid, None)
        self.reply(status, data, hdrs)

    # ---- dispatch -------------------------------------------------------
    def handle_one(self):
        self.seq = self.state.next_seq()
        bucket, key, q = self.split()
        fault = pick_fault(self.state, self.state.faults(), self.seq, self.command, self.path)
        if fault == "deny":
            self.read_body()
            return self.reply(403, error_xml("AccessDenied", "Access Denied"), fault=fault)
        if fault == "truncate" and self.command != "GET":
            fault = "503"
        if fault == "503":
            self.read_body()
            return self.reply(503, error_xml("SlowDown", "Please reduce your request rate."),
                              fault=fault)
        if fault == "500":
            self.read_body()
            return self.reply(500, error_xml("InternalError", "We encountered an internal error."),
                              fault=fault)
        if fault == "reset" and self.command in ("PUT", "POST"):
            n = int(self.headers.get("Content-Length") or 0)
            self.read_body(n // 2)
            return self.reset(fault)
        if fault == "reset" and self.command != "GET":
            self.read_body()
            return self.reset(fault)
        self.lost = fault == "lost"
        body = self.read_body()
        if self.command == "GET" and "uploads" in q and not key:
            return self.list_uploads(bucket, q.get("prefix", [""])[0])
        if self.command == "DELETE" and "uploadId" in q:
            with self.state.lock:
                gone = self.state.uploads.pop(q["uploadId"][0], None)
            return self.reply(204 if gone else 404,
                              b"" if gone else error_xml("NoSuchUpload", "no such upload"))
        if self.command == "PUT" and not self.sha_ok(body):
            return self.reply(400, error_xml("XAmzContentSHA256Mismatch",
                                             "The provided 'x-amz-content-sha256' header does "
                                             "not match what was computed."))
        if self.command == "PUT" and "uploadId" in q:
            uid = q["uploadId"][0]
            with self.state.lock:
                up = self.state.uploads.get(uid)
            if up is None:
                return self.reply(404, error_xml("NoSuchUpload", "no such upload"))
            status, hdrs, data = self.forward(body)
            if status == 200:
                with self.state.lock:
                    up["parts"][int(q["partNumber"][0])] = len(body)
                    up["etags"][int(q["partNumber"][0])] = next(
                        (v for k, v in hdrs.items() if k.lower() == "etag"), "")
            return self.reply(status, data, hdrs)
        if self.command == "POST" and "uploadId" in q:
            return self.complete(q["uploadId"][0], body)
        status, hdrs, data = self.forward(body)
        if self.command == "POST" and "uploads" in q and status == 200:
            m = re.search(rb"<UploadId>([^<]+)</UploadId>", data)
            if m:
                with self.state.lock:
                    self.state.uploads[m.group(1).decode()] = {
                        "bucket": bucket, "key": key, "parts": {}, "etags": {}}
        if fault in ("reset", "truncate") and self.command == "GET" and len(data) > 1:
            self.send_response(status)
            for k, v in hdrs.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            if fault == "reset":
                return self.reset(fault)
            self.note(status, fault)
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.close_connection = True
            return
        self.reply(status, data, hdrs)

    def do_GET(self):
        self.handle_one()

    do_PUT = do_POST = do_DELETE = do_HEAD = do_GET


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--state", required=True)
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    a = ap.parse_args()
    host, port = a.upstream.rsplit(":", 1)
    Handler.state = State((host, int(port)), a.state)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    if a.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls_cert, a.tls_key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    with open(os.path.join(a.state, "proxy.pid"), "w") as f:
        f.write(str(os.getpid()))
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
