#!/usr/bin/python3
"""Peer benchmark: the same three workloads as smbench's client bench, driven by impacket.

Usage: impacket_bench.py HOST PORT USER PASSWORD SHARE WORKLOAD SECONDS
WORKLOAD is one of: open-close, read-4k, seq-1m. Prints one JSON line with ops, bytes, seconds
and the process's own CPU seconds (user+sys), so ops per client CPU-second can be compared.
"""
import json
import os
import resource
import sys
import time

from impacket.smb3structs import FILE_READ_DATA, FILE_WRITE_DATA, FILE_SHARE_READ, FILE_SHARE_WRITE
from impacket.smbconnection import SMBConnection

FILE_OPEN_IF = 3
FILE_NON_DIRECTORY_FILE = 0x40


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    host, port, user, password, share, workload, seconds = sys.argv[1:8]
    port, seconds = int(port), float(seconds)
    conn = SMBConnection(host, host, sess_port=port)
    conn.login(user, password)
    tid = conn.connectTree(share)
    name = "impacket-bench-%d.dat" % os.getpid()
    access = FILE_READ_DATA | FILE_WRITE_DATA
    fid = conn.createFile(tid, name, desiredAccess=access, shareMode=FILE_SHARE_READ | FILE_SHARE_WRITE,
                          creationOption=FILE_NON_DIRECTORY_FILE, creationDisposition=FILE_OPEN_IF)
    block = b"x" * (1 << 20)
    conn.writeFile(tid, fid, block * 4, 0)
    ops = 0
    nbytes = 0
    cpu0 = cpu_seconds()
    t0 = time.monotonic()
    deadline = t0 + seconds
    if workload == "open-close":
        # impacket keys its open table by name, so the loop opens a file nobody else holds.
        other = name + ".oc"
        conn.closeFile(tid, conn.createFile(tid, other, desiredAccess=access, shareMode=FILE_SHARE_READ | FILE_SHARE_WRITE,
                                            creationOption=FILE_NON_DIRECTORY_FILE, creationDisposition=FILE_OPEN_IF))
        while time.monotonic() < deadline:
            f = conn.createFile(tid, other, desiredAccess=FILE_READ_DATA, shareMode=FILE_SHARE_READ | FILE_SHARE_WRITE,
                                creationOption=FILE_NON_DIRECTORY_FILE, creationDisposition=FILE_OPEN_IF)
            conn.closeFile(tid, f)
            ops += 1
    elif workload == "read-4k":
        off = 0
        while time.monotonic() < deadline:
            data = conn.readFile(tid, fid, off, 4096)
            nbytes += len(data)
            off = (off + 4096) % (4 << 20)
            ops += 1
    elif workload == "seq-1m":
        off = 0
        while time.monotonic() < deadline:
            conn.writeFile(tid, fid, block, off)
            nbytes += len(block)
            off = (off + len(block)) % (64 << 20)
            ops += 1
    else:
        raise SystemExit("unknown workload " + workload)
    elapsed = time.monotonic() - t0
    cpu = cpu_seconds() - cpu0
    conn.closeFile(tid, fid)
    conn.deleteFile(share, name)
    if workload == "open-close":
        conn.deleteFile(share, name + ".oc")
    conn.logoff()
    print(json.dumps({"peer": "impacket", "workload": workload, "ops": ops, "bytes": nbytes,
                      "seconds": elapsed, "cpuSeconds": cpu}))


if __name__ == "__main__":
    main()
