"""An SMTP sink for the dispatch benchmark (Debian's python3-aiosmtpd): it
accepts everything, keeps nothing, and every 100 messages writes the count
and the time of the last one to DIR/count and DIR/last.
Usage: sink.py PORT DIR (PORT 0: any free port, printed first)."""
import os
import socket
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    def note(self, name, value):
        path = os.path.join(self.directory, name)
        with open(path + ".tmp", "w") as f:
            f.write(value)
        os.rename(path + ".tmp", path)

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        if self.count % 100 == 0:
            now = time.time()
            with open(os.path.join(self.directory, "progress"), "a") as f:
                f.write("%d %.6f\n" % (self.count, now))
            self.note("last", "%.6f" % now)
            self.note("count", str(self.count))
        return "250 Message accepted for delivery"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    if port == 0:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


main()
