#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_turn_server into fuzz/corpus/fuzz_turn_server/ (idempotent).

A seed is a script of operations, as fuzz_turn_server.cpp reads it: an op byte, then its arguments.
  0 raw client bytes      tuple, length, bytes
  1 signed request        tuple, method (0 Allocate, 1 Refresh, 2 CreatePermission, 3 ChannelBind, 4 unknown),
                          flags (16 bits, see FLAGS), peer count and peer indexes, channel (16 bits),
                          lifetime (32 bits with F_LIFETIME_RAW, else 8 bits counting 30 s)
  2 Send indication       tuple, peer, flags (1 no DATA, 2 DONT-FRAGMENT, 4 FINGERPRINT), length, data
  3 ChannelData           tuple, channel (0x4000 + 16 bits modulo 0x4000), length, data
  4 peer datagram         relay (index among the open ones; 0x80 and up: that raw id), peer, length, data
  5 time passes           n (n < 128: 5n seconds; else (n - 128) * 10 ms), then a tick
  6 connection closed     tuple
  7 Binding               tuple, 1 for FINGERPRINT
Tuples: 0 UDP IPv4, 1 TCP IPv4, 2 UDP IPv6, 3 TLS IPv4. Peers: 0 8.8.8.8:53, 1 1.1.1.1:1000, 2 8.8.8.8:54,
3 [2001:db8:7::1]:7000, 4 127.0.0.1:80, 5 10.0.0.1:1, 6 [::ffff:127.0.0.1]:5, 7 127.0.0.1:50004 (a relay).
The first signed request of a tuple has no nonce yet and draws the 401 that gives it one.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

F_LIFETIME = 0x0001
F_LIFETIME_RAW = 0x0002
F_FAMILY6 = 0x0004
F_FAMILY4 = 0x0008
F_ADDITIONAL6 = 0x0010
F_EVEN = 0x0020
F_RESERVE = 0x0040
F_TOKEN = 0x0080
F_SHA256 = 0x0100
F_MI_SHA256 = 0x0200
F_FINGERPRINT = 0x0400
F_WRONG = 0x0800
F_REST = 0x1000
F_DONT_FRAGMENT = 0x2000
F_TCP = 0x4000
F_UNKNOWN = 0x8000

ALLOCATE, REFRESH, PERMISSION, CHANNEL_BIND, UNKNOWN = range(5)


def signed(t, method, flags=0, peers=(), channel=0x4000, lifetime=0):
    out = bytes([1, t, method]) + struct.pack(">H", flags) + bytes([len(peers)]) + bytes(peers)
    out += struct.pack(">H", channel)
    out += struct.pack(">I", lifetime) if flags & F_LIFETIME_RAW else bytes([lifetime])
    return out


def send(t, peer, data, flags=0):
    return bytes([2, t, peer, flags, len(data)]) + data


def channel_data(t, channel, data):
    return bytes([3, t]) + struct.pack(">H", channel) + bytes([len(data)]) + data


def from_peer(relay, peer, data):
    return bytes([4, relay, peer, len(data)]) + data


def wait(n):
    return bytes([5, n])


def close(t):
    return bytes([6, t])


def binding(t, fingerprint=0):
    return bytes([7, t, fingerprint])


def raw(t, data):
    return bytes([0, t, len(data)]) + data


def allocate(t, flags=0, lifetime=0):
    return signed(t, ALLOCATE, flags, lifetime=lifetime) * 2


SEEDS = {
    "relay_udp": allocate(0) + signed(0, PERMISSION, peers=(0,)) + send(0, 0, b"hello") +
    from_peer(0, 0, b"world") + signed(0, CHANNEL_BIND, peers=(1,), channel=0x4001) +
    channel_data(0, 0x001, b"over a channel") + from_peer(0, 1, b"back") + wait(12) +
    signed(0, REFRESH, F_LIFETIME, lifetime=0),
    "relay_tcp_dual": allocate(1, F_ADDITIONAL6) + signed(1, PERMISSION, peers=(0, 3)) +
    signed(1, CHANNEL_BIND, peers=(3,), channel=0x4ABC) + channel_data(1, 0xABC, b"odd") +
    from_peer(1, 3, b"five!") + send(1, 3, b"v6") + close(1),
    "ipv6_client": allocate(2, F_FAMILY6) + signed(2, PERMISSION, peers=(3,)) + send(2, 3, b"x") +
    signed(2, PERMISSION, peers=(3, 0)),
    "even_port_token": allocate(0, F_EVEN | F_RESERVE) + allocate(3, F_TOKEN) + wait(7) + allocate(2, F_TOKEN),
    "turn_to_turn": allocate(0) + allocate(3) + signed(0, PERMISSION, peers=(7,)) + send(0, 7, b"t2t") +
    send(0, 4, b"http?") + signed(0, CHANNEL_BIND, peers=(4,)) + from_peer(0, 7, b"hi"),
    "sha256_rest": allocate(0, F_SHA256 | F_MI_SHA256 | F_REST | F_FINGERPRINT) +
    signed(0, PERMISSION, F_SHA256 | F_MI_SHA256 | F_REST, peers=(1,)),
    "refusals": allocate(0, F_WRONG) + allocate(0, F_DONT_FRAGMENT) + allocate(0, F_TCP) +
    allocate(0, F_UNKNOWN) + signed(0, PERMISSION, peers=(4, 5, 6)) + signed(0, UNKNOWN) +
    signed(0, REFRESH) + allocate(0, F_FAMILY4 | F_ADDITIONAL6),
    "expiry": allocate(0, F_LIFETIME, lifetime=120) + signed(0, CHANNEL_BIND, peers=(0,)) +
    wait(50) + channel_data(0, 0, b"a") + wait(30) + channel_data(0, 0, b"b") + wait(127) + wait(127) +
    from_peer(0, 0, b"late") + allocate(0),
    "quota": allocate(0) + allocate(1) + allocate(2) + allocate(3) + signed(1, REFRESH, F_LIFETIME, lifetime=0) +
    allocate(3),
    "bandwidth": allocate(0) + signed(0, CHANNEL_BIND, peers=(0,)) + channel_data(0, 0, bytes(200)) * 30 +
    wait(200) + channel_data(0, 0, bytes(200)) * 5,
    "raw_and_binding": binding(0) + binding(1, 1) + binding(2) + raw(0, b"\x00\x01\x00\x00\x21\x12\xa4\x42" +
    bytes(12)) + raw(0, b"\x40\x00\x00\x10abc") + raw(1, b"\xff\xff") + wait(130),
}


def main():
    folder = os.path.join(HERE, "corpus", "fuzz_turn_server")
    os.makedirs(folder, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
