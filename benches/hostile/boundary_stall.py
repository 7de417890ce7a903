"""A 64 MiB upload body of boundary characters to an emulator on 127.0.0.1:PORT, and a GET
sent as soon as that body is: how long each takes to be answered.

    python3 benches/hostile/boundary_stall.py PORT
"""
import socket
import sys
import threading
import time

port = int(sys.argv[1])
size = 64 * 1024 * 1024
boundary = "-" * 68 + "x"
auth = "Authorization: Basic cHJpdmF0ZV9lbXVsYXRvcjo=\r\n"


def upload(out):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(
        f"POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {size}\r\nConnection: close\r\n\r\n".encode()
    )
    s.sendall(b"-" * size)
    out["sent"] = time.monotonic()
    s.recv(100)
    out["answered"] = time.monotonic()
    s.close()


out = {}
thread = threading.Thread(target=upload, args=(out,))
thread.start()
while "sent" not in out:
    time.sleep(0.001)
get = socket.create_connection(("127.0.0.1", port))
started = time.monotonic()
get.sendall(f"GET /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n".encode())
get.recv(100)
finished = time.monotonic()
thread.join()
print(
    f"upload answered {out['answered'] - out['sent']:.3f} s after its body; "
    f"a GET sent then took {finished - started:.3f} s"
)
