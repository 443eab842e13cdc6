#!/usr/bin/env python3
"""Test helper: a slow network link. slowlink.py TARGET_PORT RATE relays
connections from a free loopback port (printed as "port N") to
127.0.0.1:TARGET_PORT, passing at most RATE bytes a second towards the
client, like a viewer on a thin line. Runs until killed."""
import select
import socket
import sys
import threading
import time

target, rate = int(sys.argv[1]), int(sys.argv[2])
lsock = socket.socket()
lsock.bind(("127.0.0.1", 0))
lsock.listen(8)
print("port", lsock.getsockname()[1], flush=True)


def pump(client):
    server = socket.create_connection(("127.0.0.1", target))
    # small buffers so the sharer feels the slowness instead of the kernel
    # soaking it up
    for s in (client, server):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    budget, last = 0.0, time.time()
    try:
        while True:
            r, _, _ = select.select([client, server], [], [], 0.05)
            now = time.time()
            budget = min(rate, budget + (now - last) * rate)
            last = now
            if client in r:
                data = client.recv(65536)
                if not data:
                    break
                server.sendall(data)
            if server in r and budget >= 1024:
                data = server.recv(int(budget))
                if not data:
                    break
                client.sendall(data)
                budget -= len(data)
            elif server in r:
                time.sleep(0.02)
    except OSError:
        pass
    finally:
        client.close()
        server.close()


while True:
    c, _ = lsock.accept()
    threading.Thread(target=pump, args=(c,), daemon=True).start()
