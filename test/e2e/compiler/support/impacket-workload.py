"""A small impacket session for the compiler's end-to-end test (run with /usr/bin/python3).

Lists a directory that already exists on the share, reads files that were not created by the
trace, writes a new file, makes a directory, deletes and renames pre-existing files: a known trace
whose initial namespace the compiler must infer.
"""
import io
import sys

from impacket.smb3structs import FILE_READ_DATA, SMB2_DIALECT_21
from impacket.smbconnection import SMBConnection

host, port, user, password, domain, share, mode = sys.argv[1:8]
# SMB 2.1 stays in clear text; with 3.x impacket encrypts whenever the server offers it.
dialect = SMB2_DIALECT_21 if mode == 'clear' else None
conn = SMBConnection(host, host, sess_port=int(port), preferredDialect=dialect)
conn.login(user, password, domain)

names = sorted(f.get_longname() for f in conn.listPath(share, 'pre\\*'))
print('listed', names)

sink = io.BytesIO()
conn.getFile(share, 'pre\\a.bin', sink.write)
print('read a.bin', len(sink.getvalue()))

tid = conn.connectTree(share)
fid = conn.openFile(tid, 'pre\\sub\\c.dat', desiredAccess=FILE_READ_DATA)
data = conn.readFile(tid, fid, 0, 100)
conn.closeFile(tid, fid)
print('read c.dat', len(data))
if mode != 'clear':
    conn.logoff()
    sys.exit(0)

conn.putFile(share, 'pre\\new.txt', io.BytesIO(b'x' * 321).read)
conn.createDirectory(share, 'made')
conn.deleteFile(share, 'pre\\gone.tmp')
conn.rename(share, 'pre\\old.name', 'pre\\new.name')
conn.logoff()
