#!/usr/bin/env python3
"""Test helper: a password guesser spread over many networks, much cheaper
than a real client. guess.py PORT PER PASSWORD_PREFIX [FIRST] runs until
killed: each guess is a fresh connection to 127.0.0.1:PORT from a loopback
address of its own /24 (127.0.P.1 or 127.Q.P.1: P = FIRST (default 1), then
the next /24 every PER guesses; all of 127/8 is local on Linux, and
127.0.0.0/24 is left to real viewers), which logs on over TLS ([MS-RDPBCGR]
1.3.1.1: X.224, MCS Connect Initial with the fewest client data blocks,
Erect Domain, Attach User, Channel Joins, Client Info PDU) with a plain wrong
password, and reads until the sharer hangs up. Prints "guess N" after each."""
import socket
import ssl
import struct
import sys

port, per, prefix = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
first = int(sys.argv[4]) if len(sys.argv) > 4 else 1


def tpkt(payload):
    return struct.pack(">BBH", 3, 0, 4 + len(payload)) + payload


def x224_data(payload):
    return tpkt(b"\x02\xf0\x80" + payload)


def recv_tpkt(s):
    head = b""
    while len(head) < 4:
        chunk = s.recv(4 - len(head))
        if not chunk:
            raise EOFError
        head += chunk
    body = b""
    want = struct.unpack(">H", head[2:4])[0] - 4
    while len(body) < want:
        chunk = s.recv(want - len(body))
        if not chunk:
            raise EOFError
        body += chunk
    return body


def ber_len(n):
    return bytes([n]) if n < 0x80 else b"\x82" + struct.pack(">H", n)


def ber_int(v):
    b = v.to_bytes(4, "big").lstrip(b"\x00") or b"\x00"
    if b[0] & 0x80:
        b = b"\x00" + b
    return b"\x02" + bytes([len(b)]) + b


def domain_params(*vals):
    body = b"".join(ber_int(v) for v in vals)
    return b"\x30" + ber_len(len(body)) + body


def per_len(n):
    return struct.pack(">H", 0x8000 | n)


def utf16z(text):
    return text.encode("utf-16-le") + b"\x00\x00"


def connect_initial():
    core = struct.pack("<IHHHHII", 0x00080004, 800, 600, 0xCA01, 0xAA03, 0x409, 2600)
    core += "guess".encode("utf-16-le").ljust(32, b"\x00")
    core += struct.pack("<III", 4, 0, 12) + b"\x00" * 64
    # postBeta2ColorDepth .. serverSelectedProtocol (TLS)
    core += struct.pack("<HHIHHH", 0xCA01, 1, 0, 24, 0x0F, 0x0001)
    core += b"\x00" * 64 + struct.pack("<BBI", 0, 0, 1)
    blocks = struct.pack("<HH", 0xC001, 4 + len(core)) + core
    blocks += struct.pack("<HHII", 0xC002, 12, 0, 0)
    ccr = b"\x00\x08\x00\x10\x00\x01\xc0\x00Duca" + per_len(len(blocks)) + blocks
    gcc = b"\x00\x05\x00\x14\x7c\x00\x01" + per_len(len(ccr)) + ccr
    body = (b"\x04\x01\x01\x04\x01\x01\x01\x01\xff"
            + domain_params(34, 2, 0, 1, 0, 1, 65535, 2)
            + domain_params(1, 1, 1, 1, 0, 1, 1056, 2)
            + domain_params(65535, 64535, 65535, 1, 0, 1, 65535, 2)
            + b"\x04" + ber_len(len(gcc)) + gcc)
    return x224_data(b"\x7f\x65" + ber_len(len(body)) + body)


def client_info(user_id, password):
    strings = [("", ""), ("guess", ""), (password, ""), ("", ""), ("", "")]
    info = struct.pack("<II", 0, 0x00000010 | 0x00000002 | 0x00000100)  # unicode, mouse, logon errors
    info += b"".join(struct.pack("<H", len(t.encode("utf-16-le"))) for t, _ in strings)
    info += b"".join(utf16z(t) for t, _ in strings)
    info += struct.pack("<HH", 2, 2) + b"\x00\x00" + struct.pack("<H", 2) + b"\x00\x00"
    data = struct.pack("<HH", 0x0040, 0) + info  # SEC_INFO_PKT
    return x224_data(b"\x64" + struct.pack(">HH", user_id - 1001, 1003) + b"\x70"
                     + per_len(len(data)) + data)


def guess(source, password):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", port), timeout=30,
                                   source_address=(source, 0))
    try:
        neg = struct.pack("<BBHI", 0x01, 0x00, 8, 0x00000001)
        raw.sendall(tpkt(bytes([6 + len(neg), 0xE0, 0, 0, 0, 0, 0]) + neg))
        recv_tpkt(raw)
        s = ctx.wrap_socket(raw)
        s.sendall(connect_initial())
        recv_tpkt(s)
        s.sendall(x224_data(b"\x04\x01\x00\x01\x00"))  # erect domain
        s.sendall(x224_data(b"\x28"))  # attach user
        confirm = recv_tpkt(s)
        user_id = 1001 + struct.unpack(">H", confirm[5:7])[0]
        for channel in (user_id, 1003):
            s.sendall(x224_data(b"\x38" + struct.pack(">HH", user_id - 1001, channel)))
            recv_tpkt(s)
        s.sendall(client_info(user_id, password))
        while True:  # licence, error info, then the sharer hangs up
            recv_tpkt(s)
    except (EOFError, OSError):
        pass
    finally:
        raw.close()


n = 0
while True:
    p = 1 + (first - 1 + n // per) % 65535
    guess("127.%d.%d.1" % (p // 256, p % 256), "%s-%d" % (prefix, n))
    n += 1
    print("guess", n, flush=True)
