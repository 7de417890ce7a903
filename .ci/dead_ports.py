"""Two loopback ports for the transport tests that need a server to fail: prints their URLs.

usage: dead_ports.py
Line 1: a port that accepts connections and never answers (requests on it time out).
Line 2: a port that is bound but not listening (connections to it are refused).
Both stay so until the process is killed, or for an hour.
"""
import socket
import time

silent = socket.socket()
silent.bind(("127.0.0.1", 0))
silent.listen(64)
refused = socket.socket()
refused.bind(("127.0.0.1", 0))
print(f"http://127.0.0.1:{silent.getsockname()[1]}")
print(f"http://127.0.0.1:{refused.getsockname()[1]}", flush=True)
time.sleep(3600)
