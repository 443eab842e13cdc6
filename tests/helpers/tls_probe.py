#!/usr/bin/env python3
"""tls_probe.py PORT VERSION: ask 127.0.0.1:PORT for TLS in an X.224
Connection Request (MS-RDPBCGR 2.2.1.1), then try a TLS handshake limited to
exactly VERSION (1.0, 1.1, 1.2 or 1.3). The client side allows everything
(security level 0, no certificate check) so only the server can refuse.
Prints "accepted VERSION" or "refused VERSION: why"; exits 0 when the
handshake completed, 1 when the server refused the protocol version itself
(a protocol_version alert), 3 when the handshake failed for another reason
(OpenSSL's security level finding no usable signature answers TLS 1.0/1.1
with internal_error: refused only by accident), 2 when the server did not
even confirm TLS."""
import socket
import ssl
import struct
import sys
import warnings

NEG_REQ = struct.pack("<BBHI", 0x01, 0x00, 8, 0x00000001)  # PROTOCOL_SSL
X224_CR = bytes([6 + len(NEG_REQ), 0xE0, 0, 0, 0, 0, 0]) + NEG_REQ
REQUEST = struct.pack(">BBH", 3, 0, 4 + len(X224_CR)) + X224_CR

VERSIONS = {
    "1.0": ssl.TLSVersion.TLSv1,
    "1.1": ssl.TLSVersion.TLSv1_1,
    "1.2": ssl.TLSVersion.TLSv1_2,
    "1.3": ssl.TLSVersion.TLSv1_3,
}


def confirm(s):
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
    port, name = int(sys.argv[1]), sys.argv[2]
    warnings.simplefilter("ignore", DeprecationWarning)  # TLSv1, TLSv1_1: on purpose
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    # OpenSSL 3 refuses TLS < 1.2 at its default level on our side already:
    # level 0 makes this probe test the server, not ourselves
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    ctx.minimum_version = VERSIONS[name]
    ctx.maximum_version = VERSIONS[name]
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        if not confirm(s):
            print("no TLS confirm")
            return 2
        try:
            with ctx.wrap_socket(s) as t:
                print(f"accepted {name} ({t.version()})")
                return 0
        except (ssl.SSLError, OSError) as e:
            print(f"refused {name}: {e}")
            return 1 if "PROTOCOL_VERSION" in str(e) else 3


if __name__ == "__main__":
    sys.exit(main())
