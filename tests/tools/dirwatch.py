#!/usr/bin/env python3
"""dirwatch.py DIR READY LOG: records every name created in (or moved into)
DIR, one a line in LOG, until killed (inotify through libc: no package).
READY is written once the watch is in place, so a test can wait for it
instead of sleeping.  A test that must show a process put nothing in DIR
(e.g. csdump's TMPDIR) starts it, waits for READY, runs the process, stops
it by PID and checks that LOG is empty: a file made and removed during the
run is caught too, which a look at DIR afterwards would miss."""
import ctypes
import os
import struct
import sys

IN_CREATE = 0x100
IN_MOVED_TO = 0x80


def main():
    watched, ready, log_path = sys.argv[1:4]
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init()
    if fd < 0:
        sys.exit("dirwatch: inotify_init: %s" % os.strerror(ctypes.get_errno()))
    if libc.inotify_add_watch(fd, os.fsencode(watched), IN_CREATE | IN_MOVED_TO) < 0:
        sys.exit("dirwatch: %s: %s" % (watched, os.strerror(ctypes.get_errno())))
    log = open(log_path, "a", buffering=1)
    with open(ready, "w") as f:
        f.write("ready\n")
    while True:
        buf = os.read(fd, 65536)
        i = 0
        while i + 16 <= len(buf):
            _, _, _, n = struct.unpack_from("iIII", buf, i)
            log.write(buf[i + 16:i + 16 + n].rstrip(b"\0").decode(errors="replace") + "\n")
            i += 16 + n


if __name__ == "__main__":
    main()
