"""A loopback server that answers a scripted sequence of statuses, for CI's retry checks.

usage: fault_server.py PORT LOG STATUS[,STATUS...]
Each request gets the next status (the last one repeats); 200 carries a file version.
Every request's method and path is appended to LOG.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

port, log, statuses = int(sys.argv[1]), sys.argv[2], [int(s) for s in sys.argv[3].split(",")]
VERSION = {"fileId": "f1", "type": "file-version", "name": "retry.jpg",
           "versionInfo": {"id": "v3", "name": "Version 3"}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    served = 0

    def do_GET(self):
        with open(log, "a") as f:
            f.write(f"{self.command} {self.path}\n")
        status = statuses[min(Handler.served, len(statuses) - 1)]
        Handler.served += 1
        body = VERSION if status == 200 else {"message": f"scripted {status}", "help": "ci"}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", port), Handler).serve_forever()
