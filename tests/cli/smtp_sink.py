"""A real SMTP server for the tests (Debian's python3-aiosmtpd), writing
each message it accepts to DIR/NNNNNN.eml. Recipients steer it:
reject...@ gets a 550, tempfail-N...@ gets a 451 the first N times,
cr-...@ a 550 with a bare CR inside.
Usage: smtp_sink.py PORT DIR; prints "ready" once listening."""
import asyncio
import os
import re
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.tempfails = {}

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        # what a client went as far as sending, for the tests to read
        print("MAIL FROM:<%s>%s" % (address, " (TLS)" if session.ssl else ""), flush=True)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("cr-"):
            # a reply with a bare CR inside, as a hostile server might send
            return "550 5.1.1 refused\radfd: error: a forged log line"
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        m = re.match(r"tempfail-(\d+)", local)
        if m:
            seen = self.tempfails.get(address, 0)
            if seen < int(m.group(1)):
                self.tempfails[address] = seen + 1
                return "451 4.7.1 <%s>: Try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.directory, "%06d.eml" % self.count)
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(name + ".tmp", name)
        return "250 Message accepted for delivery"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
