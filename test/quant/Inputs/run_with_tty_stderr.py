"""Runs a command with stderr on a pseudo-terminal (stdout stays a pipe) and
prints what it wrote to stderr, carriage returns shown as newlines, so that
a test can see output that a tool draws only on a terminal."""
import os
import pty
import subprocess
import sys

master, slave = pty.openpty()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL,
                        stderr=slave)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:  # EIO: the child closed the terminal
        break
    if not chunk:
        break
    data += chunk
status = proc.wait()
sys.stdout.write(data.decode(errors="replace").replace("\r", "\n"))
sys.exit(status)
