"""Four concurrent 200 MiB upload bodies (not valid forms, so nothing is stored) to an
emulator on 127.0.0.1:PORT; each answer's status line is printed. Read the server's peak RSS
(VmHWM in /proc/PID/status) afterwards.

    python3 benches/hostile/four_bodies.py PORT
"""
import socket
import sys
import threading

port = int(sys.argv[1])
size = 200 * 1024 * 1024
chunk = b"-" * (1024 * 1024)


def one(i):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(
        "POST /api/v1/files/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Authorization: Basic cHJpdmF0ZV9lbXVsYXRvcjo=\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\n"
        f"Content-Length: {size}\r\nConnection: close\r\n\r\n".encode()
    )
    for _ in range(size // len(chunk)):
        s.sendall(chunk)
    print(i, s.recv(100).split(b"\r\n")[0].decode(), flush=True)
    s.close()


threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
