"""A stand-in for the Pagefind binary that reproduces issue 18's race deterministically: it
runs the real binary ($REAL_PAGEFIND) and passes every message through, except that it
answers `WriteFiles` at once and hands the request to Pagefind half a second later (the real
answer is dropped), as a busy machine may. A client that reads the bundle from disk after that answer finds it missing or
empty; one that takes the bundle in memory (`GetFiles`) is not affected."""

import base64
import json
import os
import subprocess
import sys
import threading
import time

real = subprocess.Popen(
    [os.environ["REAL_PAGEFIND"], *sys.argv[1:]], stdin=subprocess.PIPE, stdout=subprocess.PIPE
)
answered: set[int] = set()
out_lock = threading.Lock()


def send(raw: bytes) -> None:
    with out_lock:
        sys.stdout.buffer.write(raw + b",")
        sys.stdout.buffer.flush()


def messages(stream):
    buffer = b""
    while chunk := stream.read1(1 << 16):
        buffer += chunk
        *whole, buffer = buffer.split(b",")
        yield from whole


def from_pagefind() -> None:
    for raw in messages(real.stdout):
        answer = json.loads(base64.b64decode(raw))
        if (answer or {}).get("message_id") not in answered:
            send(raw)


threading.Thread(target=from_pagefind, daemon=True).start()
for raw in messages(sys.stdin.buffer):
    request = json.loads(base64.b64decode(raw))
    if request["payload"]["type"] == "WriteFiles":
        answered.add(request["message_id"])
        early = {"message_id": request["message_id"], "payload": {"type": "WriteFiles"}}
        send(base64.b64encode(json.dumps(early).encode()))
        time.sleep(0.5)
    real.stdin.write(raw + b",")
    real.stdin.flush()
real.stdin.close()
real.wait()
