"""Speaks raw bytes to adfd: sends stdin, then prints what comes back until
the daemon closes or 10 s pass. Used to send what adfctl never would."""
import socket
import sys

sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
sock.settimeout(10)
sock.connect(sys.argv[1])
data = sys.stdin.buffer.read()
try:
    sock.sendall(data)
    sock.shutdown(socket.SHUT_WR)
except (BrokenPipeError, ConnectionResetError):
    pass  # the daemon may close early on an oversized line; read what it said
out = b""
try:
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        out += chunk
except (ConnectionResetError, socket.timeout):
    pass
sys.stdout.buffer.write(out)
