#!/usr/bin/env python3
"""x224_probe.py PORT COUNT: open COUNT connections to 127.0.0.1:PORT one after
another; each asks for TLS in an X.224 Connection Request (MS-RDPBCGR
2.2.1.1), reads the Connection Confirm and closes. Prints how many were
confirmed; exits 1 if any was not."""
import socket
import struct
import sys

NEG_REQ = struct.pack("<BBHI", 0x01, 0x00, 8, 0x00000001)  # PROTOCOL_SSL
X224_CR = bytes([6 + len(NEG_REQ), 0xE0, 0, 0, 0, 0, 0]) + NEG_REQ
REQUEST = struct.pack(">BBH", 3, 0, 4 + len(X224_CR)) + X224_CR


def probe(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(REQUEST)
        data = b""
        while len(data) < 4 or len(data) < struct.unpack(">H", data[2:4])[0]:
            chunk = s.recv(64)
            if not chunk:
                return False
            data += chunk
        # X.224 Connection Confirm (0xD0) with an RDP_NEG_RSP (type 2)
        return len(data) >= 19 and data[5] == 0xD0 and data[11] == 0x02


def main():
    port, count = int(sys.argv[1]), int(sys.argv[2])
    ok, errors = 0, {}
    for _ in range(count):
        try:
            ok += probe(port)
        except OSError as e:  # say what went wrong, not only how often
            errors[str(e)] = errors.get(str(e), 0) + 1
    print(f"confirmed {ok} of {count}" + "".join(f"; {n}x {e}" for e, n in errors.items()))
    return 0 if ok == count else 1


if __name__ == "__main__":
    sys.exit(main())
