/**
 * Records the traces the run-lifecycle tests replay (issue #10.3): our own client against the lab
 * opens a directory with a CHANGE_NOTIFY on it that nothing triggers (it stays pending, MS-SMB2
 * 3.3.5.19) — either as two requests or, as Windows Explorer does, as one related CREATE +
 * CHANGE_NOTIFY compound (3.2.4.1.4) — does some file work elsewhere, and then ends the notify one
 * of two ways: it cancels it (3.2.4.24), or, after a while, a file appears in the watched directory
 * through the file system, not SMB, which completes it. Replayed, nothing touches the watched
 * directory, so that notify never completes on its own: only a cancel or a timeout ends it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompoundItem } from '../../../src/client/connection.js';
import { openRequest } from '../../../src/client/open-request.js';
import { SmbClient } from '../../../src/client/smb-client.js';
import type { Tree } from '../../../src/client/tree.js';
import { startLoopbackCapture } from '../../../src/lab/loopback-capture.js';
import { changeNotifyCodec } from '../../../src/smb2/commands/change-notify.js';
import { closeCodec } from '../../../src/smb2/commands/close.js';
import { CreateDisposition, createCodec, type CreateResponse } from '../../../src/smb2/commands/create.js';
import { RELATED_FILE_ID } from '../../../src/smb2/constants.js';
import type { SambaLab } from '../fixtures/lab-fixture.js';

/** FILE_NOTIFY_CHANGE_FILE_NAME (MS-SMB2 2.2.35): the files are written elsewhere, so it never fires. */
const FILE_NOTIFY_CHANGE_FILE_NAME = 0x1;
const NOTIFY_BUFFER = 4096;

export interface PendingNotifyScript {
  /** Files created, written and closed while the notify is pending. */
  readonly files: number;
  /** Open the directory and send the notify as one related compound. */
  readonly compound: boolean;
  /** `cancel`: the trace cancels the notify; `trigger`: a change outside SMB completes it. */
  readonly end: 'cancel' | 'trigger';
  /** With `trigger`: how long the notify stays pending in the trace (its recorded latency). */
  readonly triggerAfterMs?: number;
}

interface WatchedDir {
  /** Settles when the notify completes (or is cancelled). */
  readonly notify: Promise<unknown>;
  close(): Promise<unknown>;
}

async function watch(tree: Tree, compound: boolean, signal: AbortSignal): Promise<WatchedDir> {
  const notifyRequest = (fileId: typeof RELATED_FILE_ID) => ({
    flags: 0,
    outputBufferLength: NOTIFY_BUFFER,
    fileId,
    completionFilter: FILE_NOTIFY_CHANGE_FILE_NAME,
  });
  if (!compound) {
    const dir = await tree.open('watched', { access: 'read', kind: 'directory' });
    const notify = dir
      .changeNotify(FILE_NOTIFY_CHANGE_FILE_NAME, { signal, outputBufferLength: NOTIFY_BUFFER })
      .catch(() => undefined);
    return { notify, close: () => dir.close() };
  }
  const items = [
    { codec: createCodec, request: openRequest('watched', { access: 'read', kind: 'directory' }) },
    { codec: changeNotifyCodec, request: notifyRequest(RELATED_FILE_ID), payloadSize: NOTIFY_BUFFER },
  ] as CompoundItem[];
  // The chain settles when all its elements did, the notify last; the directory is closed after.
  const chain = tree.compound(items, true, { signal });
  return {
    notify: chain,
    close: async () => {
      const [create] = await chain;
      if (create?.status !== 'fulfilled') return;
      const fileId = (create.value.body as CreateResponse).fileId;
      await tree.session.connection.request(closeCodec, { flags: 0, fileId }, tree.context());
    },
  };
}

/** Records the script to `pcap` with tcpdump on loopback. */
export async function recordPendingNotify(
  lab: SambaLab,
  pcap: string,
  script: PendingNotifyScript,
): Promise<void> {
  const user = lab.users[0]!;
  const share = lab.shares[0]!;
  const capture = await startLoopbackCapture(lab.port, pcap);
  const client = await SmbClient.connect({ host: lab.host, port: lab.port });
  try {
    const session = await client.login({ user: user.user, password: user.password });
    const tree = await session.connectTree(share.name);
    const setup = await tree.open('watched', {
      access: 'read',
      kind: 'directory',
      disposition: CreateDisposition.FILE_OPEN_IF,
    });
    await setup.close();
    const controller = new AbortController();
    const dir = await watch(tree, script.compound, controller.signal);
    for (let i = 0; i < script.files; i++) {
      const f = await tree.open(`file-${i}.txt`, {
        access: 'write',
        disposition: CreateDisposition.FILE_OVERWRITE_IF,
      });
      await f.write(Buffer.from(`file ${i}\n`), 0n);
      await f.close();
    }
    if (script.end === 'cancel') {
      controller.abort();
    } else {
      await new Promise((resolve) => setTimeout(resolve, script.triggerAfterMs ?? 0));
      // Outside SMB (straight into the share's directory), so the trace holds no op that does it.
      await writeFile(join(share.path, 'watched', 'trigger.txt'), 'changed\n');
    }
    await dir.notify;
    await dir.close();
  } finally {
    await capture.stop();
    client.close();
  }
}
