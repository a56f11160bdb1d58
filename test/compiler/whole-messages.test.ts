/**
 * The capture layer passes over the payload of READ responses and WRITE requests that span
 * segments (extract/needed-bytes.ts); compiling with every message copied whole must give the
 * same workload, op for op, on every shared capture, with and without --keep-data.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { compileFiles, type CompiledTrace } from './support/compile-trace.js';
import { SHARED_PCAPS_DIR, sharedPcap } from '../support/shared-pcaps.js';

const captures = existsSync(SHARED_PCAPS_DIR)
  ? readdirSync(SHARED_PCAPS_DIR).filter((f) => /\.pcap(ng)?$/.test(f))
  : [];

/** Everything the compile produced but the moment it ran. */
function content(c: CompiledTrace): unknown {
  const { createdAt: _createdAt, ...header } = c.doc.header;
  const { elapsedMs: _elapsed, ...stats } = c.result.stats as unknown as Record<string, unknown>;
  return { header, users: c.doc.users, namespace: c.doc.namespace, ops: c.doc.ops, stats };
}

describe('passing over read/write payloads', { skip: captures.length === 0 && 'no shared captures' }, () => {
  for (const keepData of [false, true]) {
    test(`gives the same workload as copying every message whole (keepData ${keepData})`, async () => {
      for (const name of captures) {
        const file = sharedPcap(name);
        const options = { serverPorts: [4450], keepData };
        const skipping = await compileFiles([file], options).catch((e: Error) => e.message);
        const whole = await compileFiles([file], { ...options, wholeMessages: true }).catch(
          (e: Error) => e.message,
        );
        if (typeof skipping === 'string' || typeof whole === 'string') {
          assert.equal(skipping, whole, name);
          continue;
        }
        assert.deepEqual(content(skipping), content(whole), name);
      }
    });
  }
});
