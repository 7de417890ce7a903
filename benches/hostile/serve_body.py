"""Serves one file's bytes as the JSON answer to every GET, for decode-memory measurements.

    python3 benches/hostile/serve_body.py BODY.json   # prints the port
"""
import http.server, sys

body = open(sys.argv[1], "rb").read()


class Answer(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
print(server.server_address[1], flush=True)
server.serve_forever()
