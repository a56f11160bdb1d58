import { closeCodec, CloseFlags, type CloseResponse } from '../smb2/commands/close.js';
import type { CreateResponse } from '../smb2/commands/create.js';
import { flushCodec } from '../smb2/commands/flush.js';
import { ioctlCodec, IoctlFlags } from '../smb2/commands/ioctl.js';
import { lockCodec, type LockElement } from '../smb2/commands/lock.js';
import { queryDirectoryCodec } from '../smb2/commands/query-directory.js';
import { queryInfoCodec } from '../smb2/commands/query-info.js';
import { readCodec } from '../smb2/commands/read.js';
import { setInfoCodec } from '../smb2/commands/set-info.js';
import { writeCodec } from '../smb2/commands/write.js';
import { changeNotifyCodec } from '../smb2/commands/change-notify.js';
import type { FileId } from '../smb2/constants.js';
import { NtStatus } from '../smb2/nt-status.js';
import type { RequestContext } from './connection.js';
import { SmbStatusError } from './errors.js';
import type { Tree } from './tree.js';
import { ErrorCode, SmbBenchError } from '../errors/smbench-error.js';

export { InfoType } from '../smb2/fscc/info-classes.js';

const DEFAULT_INFO_BUFFER = 64 * 1024;

/**
 * An open handle (MS-SMB2 3.2.1.6 Open). Large reads and writes are split into requests of at most
 * MaxReadSize/MaxWriteSize bytes, all issued at once so the credit window, not a round trip per
 * chunk, bounds the throughput.
 */
export class OpenFile {
  private closed = false;

  private constructor(
    readonly tree: Tree,
    readonly path: string,
    readonly fileId: FileId,
    readonly create: CreateResponse,
    /** The lease this open holds, if the server granted one. */
    readonly leaseKey: Buffer | undefined,
  ) {}

  /** @internal */
  static fromCreate(tree: Tree, path: string, response: CreateResponse, leaseKey?: Buffer): OpenFile {
    return new OpenFile(tree, path, response.fileId, response, leaseKey);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get size(): bigint {
    return this.create.endOfFile;
  }

  private get conn() {
    return this.tree.session.connection;
  }

  private ctx(extra?: RequestContext): RequestContext {
    return this.tree.context(extra);
  }

  /** One READ of at most MaxReadSize bytes; returns fewer bytes at end of file, empty past it. */
  async readOnce(offset: bigint, length: number, extra?: RequestContext): Promise<Buffer> {
    try {
      const reply = await this.conn.request(
        readCodec,
        {
          padding: 0x50,
          flags: 0,
          length,
          offset,
          fileId: this.fileId,
          minimumCount: 0,
          channel: 0,
          remainingBytes: 0,
          readChannelInfo: EMPTY,
        },
        this.ctx({ ...extra, payloadSize: length }),
      );
      return reply.body.data;
    } catch (err) {
      if (err instanceof SmbStatusError && err.status === NtStatus.STATUS_END_OF_FILE) return EMPTY;
      throw err;
    }
  }

  /** Reads [offset, offset+length), pipelining MaxReadSize chunks; short only at end of file. */
  async read(offset: bigint, length: number, extra?: RequestContext): Promise<Buffer> {
    const max = this.tree.session.negotiation.maxReadSize;
    if (length <= max) return this.readOnce(offset, length, extra);
    const out = Buffer.allocUnsafe(length);
    const parts: Promise<number>[] = [];
    for (let done = 0; done < length; done += max) {
      const n = Math.min(max, length - done);
      const at = done;
      parts.push(this.readOnce(offset + BigInt(at), n, extra).then((data) => data.copy(out, at)));
    }
    const counts = await Promise.all(parts);
    // A short chunk means end of file: the result ends at the first gap.
    let total = 0;
    for (const c of counts) {
      total += c;
      if (c < max) break;
    }
    return out.subarray(0, total);
  }

  /** One WRITE of at most MaxWriteSize bytes; returns the count the server wrote. */
  async writeOnce(data: Buffer, offset: bigint, extra?: RequestContext): Promise<number> {
    const reply = await this.conn.request(
      writeCodec,
      { data, offset, fileId: this.fileId, channel: 0, remainingBytes: 0, writeChannelInfo: EMPTY, flags: 0 },
      this.ctx({ ...extra, payloadSize: data.length }),
    );
    return reply.body.count;
  }

  /** Writes all of data at offset, pipelining MaxWriteSize chunks. */
  async write(data: Buffer, offset: bigint, extra?: RequestContext): Promise<number> {
    const max = this.tree.session.negotiation.maxWriteSize;
    if (data.length <= max) return this.writeOnce(data, offset, extra);
    const parts: Promise<number>[] = [];
    for (let done = 0; done < data.length; done += max) {
      parts.push(this.writeOnce(data.subarray(done, done + max), offset + BigInt(done), extra));
    }
    const counts = await Promise.all(parts);
    return counts.reduce((a, b) => a + b, 0);
  }

  async flush(extra?: RequestContext): Promise<void> {
    await this.conn.request(flushCodec, { fileId: this.fileId }, this.ctx(extra));
  }

  /** QUERY_INFO (MS-SMB2 3.2.4.12); returns the raw output for an fscc decoder. */
  async queryInfo(
    infoType: number,
    infoClass: number,
    options: {
      outputBufferLength?: number;
      additionalInformation?: number;
      input?: Buffer;
    } & RequestContext = {},
  ): Promise<Buffer> {
    const outputBufferLength = options.outputBufferLength ?? DEFAULT_INFO_BUFFER;
    const reply = await this.conn.request(
      queryInfoCodec,
      {
        infoType,
        fileInfoClass: infoClass,
        outputBufferLength,
        inputBuffer: options.input ?? EMPTY,
        additionalInformation: options.additionalInformation ?? 0,
        flags: 0,
        fileId: this.fileId,
      },
      this.ctx({ ...options, payloadSize: outputBufferLength }),
    );
    return reply.body.outputBuffer;
  }

  /** SET_INFO (MS-SMB2 3.2.4.15) with an fscc-encoded buffer. */
  async setInfo(
    infoType: number,
    infoClass: number,
    buffer: Buffer,
    additionalInformation = 0,
    extra?: RequestContext,
  ): Promise<void> {
    await this.conn.request(
      setInfoCodec,
      { infoType, fileInfoClass: infoClass, buffer, additionalInformation, fileId: this.fileId },
      this.ctx({ ...extra, payloadSize: buffer.length }),
    );
  }

  /** LOCK (MS-SMB2 3.2.4.19). A blocking lock may go async; pass asyncTimeoutMs or a signal. */
  async lock(locks: readonly LockElement[], extra?: RequestContext): Promise<void> {
    // LockCount MUST be greater than 0 (MS-SMB2 2.2.26); the codec sends 0 only to replay a probe.
    if (locks.length === 0) throw new SmbBenchError(ErrorCode.USAGE, 'LOCK needs at least one lock element');
    await this.conn.request(
      lockCodec,
      { lockSequenceNumber: 0, lockSequenceIndex: 0, fileId: this.fileId, locks: [...locks] },
      this.ctx(extra),
    );
  }

  /** IOCTL/FSCTL on this handle (MS-SMB2 3.2.4.20); returns the output buffer. */
  async ioctl(
    ctlCode: number,
    input: Buffer,
    maxOutputResponse = 64 * 1024,
    extra?: RequestContext,
  ): Promise<Buffer> {
    const reply = await this.conn.request(
      ioctlCodec,
      {
        ctlCode,
        fileId: this.fileId,
        input,
        maxInputResponse: 0,
        maxOutputResponse,
        flags: IoctlFlags.SMB2_0_IOCTL_IS_FSCTL,
      },
      this.ctx({ ...extra, payloadSize: Math.max(input.length, maxOutputResponse) }),
    );
    return reply.body.output;
  }

  /**
   * One QUERY_DIRECTORY round (MS-SMB2 3.2.4.17). Returns undefined once the server says
   * STATUS_NO_MORE_FILES.
   */
  async queryDirectory(
    infoClass: number,
    pattern = '*',
    options: { flags?: number; outputBufferLength?: number } & RequestContext = {},
  ): Promise<Buffer | undefined> {
    const outputBufferLength = options.outputBufferLength ?? DEFAULT_INFO_BUFFER;
    try {
      const reply = await this.conn.request(
        queryDirectoryCodec,
        {
          fileInformationClass: infoClass,
          flags: options.flags ?? 0,
          fileIndex: 0,
          fileId: this.fileId,
          fileName: pattern,
          outputBufferLength,
        },
        this.ctx({ ...options, payloadSize: outputBufferLength }),
      );
      return reply.body.outputBuffer;
    } catch (err) {
      if (err instanceof SmbStatusError && err.status === NtStatus.STATUS_NO_MORE_FILES) return undefined;
      throw err;
    }
  }

  /**
   * CHANGE_NOTIFY (MS-SMB2 3.2.4.14): resolves when something changes (the server answers
   * STATUS_PENDING first, so no timeout applies unless given); abort via signal sends CANCEL.
   */
  async changeNotify(
    completionFilter: number,
    options: { watchTree?: boolean; outputBufferLength?: number } & RequestContext = {},
  ): Promise<Buffer> {
    const outputBufferLength = options.outputBufferLength ?? DEFAULT_INFO_BUFFER;
    const reply = await this.conn.request(
      changeNotifyCodec,
      {
        flags: options.watchTree ? 0x0001 : 0,
        outputBufferLength,
        fileId: this.fileId,
        completionFilter,
      },
      this.ctx({ ...options, payloadSize: outputBufferLength }),
    );
    return reply.body.outputBuffer;
  }

  /** CLOSE (MS-SMB2 3.2.4.5). With postQuery the server returns final times/sizes/attributes. */
  async close(postQuery = false, extra?: RequestContext): Promise<CloseResponse> {
    if (this.closed) throw new Error(`${this.path} is already closed`);
    this.closed = true;
    this.conn.breaks.forget(this.fileId, this.leaseKey);
    const reply = await this.conn.request(
      closeCodec,
      { flags: postQuery ? CloseFlags.SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB : 0, fileId: this.fileId },
      this.ctx(extra),
    );
    return reply.body;
  }
}

const EMPTY = Buffer.alloc(0);
