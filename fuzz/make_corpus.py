#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/ (run from anywhere; idempotent).

Each seed is named after what it shows. The record formats are described at the top of each fuzz_*.cpp.
"""
import base64
import hashlib
import hmac
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET = b"fuzz-secret"  # the secret fuzz_signaling_hub.cpp and fuzz_jwt.cpp configure
START = 1700000000       # their virtual clock's unix time at the start


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def token(name, iat=START, ttl=3600, secret=SECRET):
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = b64url(json.dumps({"sub": name, "iat": iat, "exp": iat + ttl}, separators=(",", ":")).encode())
    signed = f"{head}.{claims}".encode()
    return f"{head}.{claims}.{b64url(hmac.new(secret, signed, hashlib.sha256).digest())}"


# ---- fuzz_ws_frame: byte 0 = limits/chunking, then the wire ----

def frame(op, payload, mask=None, fin=True):
    out = bytes([(0x80 if fin else 0) | op])
    bit = 0x80 if mask else 0
    n = len(payload)
    if n <= 125:
        out += bytes([bit | n])
    elif n <= 0xFFFF:
        out += bytes([bit | 126]) + struct.pack(">H", n)
    else:
        out += bytes([bit | 127]) + struct.pack(">Q", n)
    if mask:
        out += mask
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return out + payload


def ws_seeds():
    k = b"\x37\xfa\x21\x3d"
    big = 0x80  # byte 0 with the top bit: max_message 70000
    small = 0x04  # max_message 12
    write("fuzz_ws_frame", "rfc_hello_unmasked", bytes([big]) + frame(1, b"Hello"))
    write("fuzz_ws_frame", "rfc_hello_masked", bytes([big]) + frame(1, b"Hello", k))
    write("fuzz_ws_frame", "rfc_fragmented", bytes([big]) + frame(1, b"Hel", fin=False) + frame(0, b"lo"))
    write("fuzz_ws_frame", "rfc_ping_pong", bytes([big]) + frame(9, b"Hello") + frame(10, b"Hello", k))
    write("fuzz_ws_frame", "rfc_256_binary", bytes([big]) + frame(2, bytes(range(256)), k))
    write("fuzz_ws_frame", "rfc_64k_binary", bytes([big]) + frame(2, b"\x5a" * 65536, k))
    login = json.dumps({"type": "login", "name": "alice", "version": 1}).encode()
    write("fuzz_ws_frame", "signaling_text", bytes([big]) + frame(1, login, k) + frame(8, b"\x03\xe8bye", k))
    write("fuzz_ws_frame", "fragments_with_control", bytes([big]) + frame(1, "caf\u00e9 \u20ac".encode()[:5], k, False)
          + frame(9, b"ping", k) + frame(0, "caf\u00e9 \u20ac".encode()[5:], k) + frame(8, b"", k))
    write("fuzz_ws_frame", "too_big_then_ok", bytes([small]) + frame(2, b"x" * 40, k) + frame(1, b"ok", k)
          + frame(1, b"12345678", k, False) + frame(0, b"12345678", k) + frame(1, b"after", k))
    write("fuzz_ws_frame", "close_codes", bytes([big]) + frame(8, b"\x0f\xa0app", k) + frame(8, b"\x03\xf3", k))


# ---- fuzz_signaling_hub: byte 0 = auth on (odd) / off, then records ----

def op_open(s): return bytes([s])
def op_close(s): return bytes([(1 << 3) | s])
def op_binary(s): return bytes([(2 << 3) | s])
def op_wait(s, ten_ms): return bytes([(3 << 3) | s, ten_ms])
def op_oversized(s): return bytes([(4 << 3) | s])


def op_text(s, msg):
    raw = msg if isinstance(msg, bytes) else json.dumps(msg, separators=(",", ":")).encode()
    return bytes([(5 << 3) | s]) + struct.pack("<H", len(raw)) + raw


SDP = {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"}
CAND = {"candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "sdpMid": "0", "sdpMLineIndex": 0}


def hub_seeds():
    t = "fuzz_signaling_hub"
    write(t, "v1_call", b"\x00" + op_open(0) + op_open(1)
          + op_text(0, {"type": "login", "name": "alice", "version": 1})
          + op_text(1, {"type": "login", "name": "bob", "version": 1})
          + op_text(0, {"type": "list"})
          + op_text(0, {"type": "offer", "name": "bob", "offer": SDP})
          + op_text(1, {"type": "answer", "name": "alice", "answer": {"type": "answer", "sdp": "v=0\r\n"}})
          + op_text(0, {"type": "candidate", "name": "bob", "candidate": CAND})
          + op_text(1, {"type": "leave", "name": "alice", "reason": "busy"})
          + op_text(0, {"type": "offer", "name": "carol", "offer": SDP})
          + op_close(1) + op_close(0))
    write(t, "java_dialect", b"\x00" + op_open(0) + op_open(1)
          + op_text(0, {"type": "login", "name": "alice"}) + op_text(1, {"type": "login", "name": "bob"})
          + op_text(0, {"type": "offer", "name": "bob", "myName": "mallory", "offer": SDP})
          + op_text(1, {"type": "answer", "name": "", "answer": {"type": "answer", "sdp": "v=0"}})
          + op_text(0, {"type": "candidate", "name": "", "candidate": CAND})
          + op_text(0, {"type": "dance"})
          + op_text(1, {"type": "leave", "name": ""}) + op_close(0))
    write(t, "android_dialect", b"\x00" + op_open(2) + op_open(3)
          + op_text(2, {"type": "SignIn", "username": "alice", "target": None, "data": None})
          + op_text(3, {"type": "SignIn", "username": "bob", "target": None, "data": None})
          + op_text(2, {"type": "StartStreaming", "username": "alice", "target": "bob", "data": None})
          + op_text(2, {"type": "Offer", "username": "alice", "target": "bob", "data": "v=0\r\n"})
          + op_text(3, {"type": "Answer", "username": "bob", "target": "alice", "data": "v=0\r\n"})
          + op_text(2, {"type": "IceCandidates", "username": "alice", "target": "bob",
                        "data": json.dumps(CAND)})
          + op_text(3, {"type": "EndCall", "username": "bob", "target": "alice", "data": None}) + op_close(2))
    write(t, "broadcast_demo", b"\x00" + op_open(0) + op_open(1) + op_open(2)
          + op_text(0, {"type": "offer", "offer": SDP}) + op_text(1, {"type": "answer", "answer": SDP})
          + op_text(2, {"type": "candidate", "candidate": CAND}) + op_close(0)
          + op_text(1, {"type": "candidate", "candidate": CAND}))
    write(t, "rooms", b"\x00" + op_open(0) + op_open(1) + op_open(2)
          + op_text(0, {"type": "login", "name": "a", "version": 1})
          + op_text(1, {"type": "login", "name": "b", "version": 1})
          + op_text(2, {"type": "login", "name": "c", "version": 1})
          + op_text(0, {"type": "join", "room": "r"}) + op_text(1, {"type": "join", "room": "r"})
          + op_text(2, {"type": "join", "room": "r"}) + op_text(0, {"type": "join", "room": "s"})
          + op_text(0, {"type": "join", "room": "t"})
          + op_text(1, {"type": "message", "room": "r", "data": {"text": "hi"}})
          + op_text(1, {"type": "leave", "room": "r"}) + op_close(2)
          + op_text(0, {"type": "message", "room": "r", "data": "bye"}))
    write(t, "auth_tokens", b"\x01" + op_open(0) + op_open(1) + op_open(2) + op_open(3)
          + op_text(0, {"type": "login", "name": "alice", "version": 1, "token": token("alice")})
          + op_text(1, {"type": "login", "name": "bob", "version": 1, "token": token("alice")})
          + op_text(2, {"type": "login", "name": "carol", "version": 1})
          + op_text(3, {"type": "login", "name": "dave", "version": 1, "token": token("dave", START - 7200)})
          + op_text(1, {"type": "login", "name": "bob", "token": token("bob", secret=b"other")})
          + op_text(1, {"type": "login", "name": "bob", "version": 1, "token": token("bob")})
          + op_text(0, {"type": "offer", "name": "bob", "offer": SDP}))
    write(t, "malformed", b"\x00" + op_open(0) + op_open(1)
          + op_text(0, b"{not json") + op_text(0, b"[]") + op_text(0, b"\"str\"")
          + op_text(0, {"type": 5}) + op_text(0, {"name": "x"}) + op_text(0, {"type": "login"})
          + op_text(0, {"type": "login", "name": 7}) + op_text(0, {"type": "login", "name": ""})
          + op_text(0, {"type": "login", "name": "x" * 100, "version": 1})
          + op_text(0, {"type": "login", "name": "alice", "version": 1})
          + op_text(1, {"type": "login", "name": "alice", "version": 1})
          + op_text(0, {"type": "join", "room": 3}) + op_text(0, {"type": "offer", "name": "alice", "offer": SDP})
          + op_binary(0) + op_oversized(1) + op_text(0, b"{\"type\":\"list\",\"type\":\"login\"}"))
    full = b"\x00" + b"".join(op_open(s) for s in range(8)) + op_close(7) + op_open(7)
    write(t, "too_many_connections", full + op_text(5, {"type": "list"}))
    burst = b"\x00" + op_open(0) + op_text(0, {"type": "login", "name": "fast", "version": 1})
    burst += b"".join(op_text(0, {"type": "list"}) for _ in range(30)) + op_wait(0, 200) + op_text(0, {"type": "list"})
    write(t, "rate_limit", burst)


# ---- fuzz_jwt: byte 0 = secret (odd: "fuzz-secret"), 3 bytes clock offset, 1 byte ttl, then name\ntoken ----

def jwt_seeds():
    mid = b"\x80\x00\x00"  # clock offset 0: the fuzzer's "now" is START
    write("fuzz_jwt", "valid", b"\x01" + mid + b"\x10" + b"alice\n" + token("alice").encode())
    write("fuzz_jwt", "expired", b"\x01" + mid + b"\x10" + b"alice\n" + token("alice", START - 7200).encode())
    write("fuzz_jwt", "wrong_subject", b"\x01" + mid + b"\x10" + b"bob\n" + token("alice").encode())
    write("fuzz_jwt", "wrong_secret", b"\x01" + mid + b"\x10" + b"alice\n" + token("alice", secret=b"x").encode())
    none = b64url(b'{"alg":"none","typ":"JWT"}') + "." + b64url(b'{"sub":"alice","exp":9999999999}') + "."
    write("fuzz_jwt", "alg_none", b"\x01" + mid + b"\x10" + b"alice\n" + none.encode())
    write("fuzz_jwt", "garbage", b"\x00" + mid + b"\x10" + b"al\"ice\n" + b"a.b.c")
    write("fuzz_jwt", "unicode_name", b"\x01" + mid + b"\x10" + "z\u00e9\u20ac\n".encode() + token("z\u00e9\u20ac").encode())


# ---- fuzz_web_path: the request-target ----

def web_seeds():
    for i, target in enumerate([
        "/", "/index.html", "/js/app.js", "/css/style.css?v=1", "/rooms/", "/a%20b.png", "/call.html#x",
        "/../etc/passwd", "/%2e%2e/etc/passwd", "/%252e%252e/etc", "/a/./b", "/.git/config", "/a%5cb",
        "/a%00b", "http://example.com/x", "//etc/passwd", "/a/b/../../..", "/%2E%2e%2f", "*", "",
    ]):
        write("fuzz_web_path", f"target_{i:02d}", target.encode())


if __name__ == "__main__":
    ws_seeds()
    hub_seeds()
    jwt_seeds()
    web_seeds()
