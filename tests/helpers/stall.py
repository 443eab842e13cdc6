#!/usr/bin/env python3
"""Test helper: connections that never finish logging on, for the sharer's
handshake guard. stall.py PORT N: opens N connections to 127.0.0.1:PORT, a
third of them silent, a third sending only the X.224 request for TLS, a
third adding half a TLS ClientHello, then waits. Prints "open N" when all
are open and "closed K" each time the count of connections the sharer has
closed changes; exits when all are closed or after 120 s."""
import select
import socket
import sys
import time

X224_TLS = bytes.fromhex("030000130ee000000000000100080001000000")
HALF_HELLO = bytes.fromhex("16030100a1010000")

port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    if i % 3 >= 1:
        s.sendall(X224_TLS)
    if i % 3 == 2:
        s.sendall(HALF_HELLO)
    socks.append(s)
print("open", len(socks), flush=True)
open_set = set(socks)
closed = 0
end = time.time() + 120
while open_set and time.time() < end:
    r, _, _ = select.select(list(open_set), [], [], 0.5)
    for s in r:
        try:
            data = s.recv(65536)
        except OSError:
            data = b""
        if not data:
            open_set.discard(s)
            s.close()
    if n - len(open_set) != closed:
        closed = n - len(open_set)
        print("closed", closed, flush=True)
