import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateAction,
  createCodec,
  CreateDisposition,
  CreateOptions,
  FileAccessMask,
  FileAttributes,
  ImpersonationLevel,
  OplockLevel,
  ShareAccess,
  type CreateRequest,
} from '../../../src/smb2/commands/create.js';
import { LeaseState } from '../../../src/smb2/create-contexts/lease.js';
import { SMB2_HEADER_SIZE } from '../../../src/smb2/constants.js';
import { MalformedMessageError } from '../../../src/errors/smbench-error.js';
import {
  CREATE_REQUEST_DIR,
  CREATE_REQUEST_ROOT,
  CREATE_RESPONSE_DIR,
  CREATE_RESPONSE_ROOT,
} from '../fixtures/samba-smb311-basic.js';
import { body, encodeRequest, withHeader } from '../fixtures/encode.js';

test('decodes the captured mkdir CREATE request (frame 20) and re-encodes it exactly', () => {
  const req = createCodec.decodeRequest(CREATE_REQUEST_DIR.bytes);
  assert.deepEqual(req, {
    securityFlags: 0,
    requestedOplockLevel: OplockLevel.SMB2_OPLOCK_LEVEL_NONE,
    impersonationLevel: ImpersonationLevel.Impersonation,
    desiredAccess: FileAccessMask.FILE_READ_ATTRIBUTES,
    fileAttributes: FileAttributes.FILE_ATTRIBUTE_DIRECTORY,
    shareAccess: ShareAccess.FILE_SHARE_READ | ShareAccess.FILE_SHARE_WRITE,
    createDisposition: CreateDisposition.FILE_CREATE,
    createOptions: CreateOptions.FILE_DIRECTORY_FILE,
    name: 'docs',
    createContexts: [],
  });
  assert.deepEqual(body(encodeRequest(createCodec, req)), body(CREATE_REQUEST_DIR.bytes));
});

test('an empty name (share root, frame 103) still carries a 1-byte Buffer, exactly as smbclient sends', () => {
  const req = createCodec.decodeRequest(CREATE_REQUEST_ROOT.bytes);
  assert.equal(req.name, '');
  const msg = encodeRequest(createCodec, req);
  assert.equal(msg.length, SMB2_HEADER_SIZE + 57);
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE + 44), SMB2_HEADER_SIZE + 56); // NameOffset
  assert.equal(msg.readUInt16LE(SMB2_HEADER_SIZE + 46), 0); // NameLength
  assert.deepEqual(body(msg), body(CREATE_REQUEST_ROOT.bytes));
});

test('decodes the captured CREATE responses (frames 21, 104)', () => {
  const dir = createCodec.decodeResponse(CREATE_RESPONSE_DIR.bytes);
  assert.equal(dir.oplockLevel, 0);
  assert.equal(dir.flags, 0);
  assert.equal(dir.createAction, CreateAction.FILE_CREATED);
  assert.equal(dir.creationTime, 0x01dd7c0a0b1be5b9n);
  assert.equal(dir.lastAccessTime, dir.creationTime);
  assert.equal(dir.fileAttributes, FileAttributes.FILE_ATTRIBUTE_DIRECTORY);
  assert.equal(dir.endOfFile, 0n);
  assert.deepEqual(dir.fileId, { persistent: 0xc62d0cadn, volatile: 0x6002d924n });
  assert.deepEqual(dir.createContexts, []);

  const root = createCodec.decodeResponse(CREATE_RESPONSE_ROOT.bytes);
  assert.equal(root.createAction, CreateAction.FILE_OPENED);
  assert.deepEqual(root.fileId, { persistent: 0x1a78b2dbn, volatile: 0x0cb4ee04n });
});

test('CREATE with every request context kind round-trips; contexts start 8-byte aligned', () => {
  const req: CreateRequest = {
    securityFlags: 0,
    requestedOplockLevel: OplockLevel.SMB2_OPLOCK_LEVEL_LEASE,
    impersonationLevel: ImpersonationLevel.Impersonation,
    // JS bitwise OR yields a signed int32; the codec writes it as u32 and decodes unsigned.
    desiredAccess: (FileAccessMask.GENERIC_READ | FileAccessMask.SYNCHRONIZE) >>> 0,
    fileAttributes: FileAttributes.FILE_ATTRIBUTE_NORMAL,
    shareAccess: ShareAccess.FILE_SHARE_READ,
    createDisposition: CreateDisposition.FILE_OPEN_IF,
    createOptions: CreateOptions.FILE_NON_DIRECTORY_FILE,
    name: 'dir\\file.txt',
    createContexts: [
      {
        kind: 'leaseV2',
        leaseKey: Buffer.alloc(16, 0x11),
        leaseState: LeaseState.SMB2_LEASE_READ_CACHING | LeaseState.SMB2_LEASE_HANDLE_CACHING,
        leaseFlags: 0,
        leaseDuration: 0n,
        parentLeaseKey: Buffer.alloc(16, 0x22),
        epoch: 3,
      },
      { kind: 'durableV2', timeout: 60000, flags: 0, createGuid: Buffer.alloc(16, 0x33) },
      { kind: 'maximalAccess' },
      { kind: 'queryOnDiskId' },
      { kind: 'allocationSize', allocationSize: 4096n },
      { kind: 'timewarp', timestamp: 0x01d0000000000000n },
    ],
  };
  const msg = encodeRequest(createCodec, req);
  const contextsOffset = msg.readUInt32LE(SMB2_HEADER_SIZE + 48);
  assert.equal(contextsOffset % 8, 0);
  assert.equal(contextsOffset, 144); // 120 + 24 bytes of name, already aligned
  assert.equal(msg.length, contextsOffset + msg.readUInt32LE(SMB2_HEADER_SIZE + 52));
  assert.deepEqual(createCodec.decodeRequest(msg), req);
});

test('decodeRequest rejects malformed CREATE requests', () => {
  const badName = Buffer.from(CREATE_REQUEST_DIR.bytes);
  badName.writeUInt16LE(400, SMB2_HEADER_SIZE + 46);
  assert.throws(() => createCodec.decodeRequest(badName), MalformedMessageError);

  const badContexts = Buffer.from(CREATE_REQUEST_DIR.bytes);
  badContexts.writeUInt32LE(120, SMB2_HEADER_SIZE + 48);
  badContexts.writeUInt32LE(64, SMB2_HEADER_SIZE + 52);
  assert.throws(() => createCodec.decodeRequest(badContexts), MalformedMessageError);

  const contextsInFixedPart = Buffer.from(CREATE_REQUEST_DIR.bytes);
  contextsInFixedPart.writeUInt32LE(64, SMB2_HEADER_SIZE + 48);
  contextsInFixedPart.writeUInt32LE(16, SMB2_HEADER_SIZE + 52);
  assert.throws(() => createCodec.decodeRequest(contextsInFixedPart), MalformedMessageError);

  const wrongSize = Buffer.from(CREATE_REQUEST_DIR.bytes);
  wrongSize.writeUInt16LE(56, SMB2_HEADER_SIZE);
  assert.throws(() => createCodec.decodeRequest(wrongSize), MalformedMessageError);
});

test('decodeResponse rejects truncated bodies and contexts outside the message', () => {
  assert.throws(
    () => createCodec.decodeResponse(CREATE_RESPONSE_DIR.bytes.subarray(0, 140)),
    MalformedMessageError,
  );
  const bad = Buffer.from(CREATE_RESPONSE_DIR.bytes);
  bad.writeUInt32LE(152, SMB2_HEADER_SIZE + 80);
  bad.writeUInt32LE(24, SMB2_HEADER_SIZE + 84);
  assert.throws(() => createCodec.decodeResponse(bad), MalformedMessageError);
  assert.throws(() => createCodec.decodeResponse(withHeader(Buffer.from([89, 0]))), MalformedMessageError);
});
