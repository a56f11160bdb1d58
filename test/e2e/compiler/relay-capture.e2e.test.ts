/**
 * A capture taken on both sides of a TCP relay (suricata-verify smb-length-5770: a proxy on port
 * 4445 forwards every request on a second connection) compiles each request once, and the
 * workload replays against Samba without a doubled op stream: every op is sent, and the
 * FSCTL_VALIDATE_NEGOTIATE_INFO the client did is connection plumbing, not a skip.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compileCaptures } from '../../../src/compiler/index.js';
import { startSambaLab, type SambaLab } from '../../../src/lab/samba-lab.js';
import { runWorkload } from '../../../src/runner/runner.js';
import { sharedPcap } from '../../support/shared-pcaps.js';
import { labSkipReason } from '../fixtures/lab-fixture.js';

const PCAP = sharedPcap('suricata-verify--smb-length-5770.pcap');
const PASSWORD = 'relay-e2e-Passw0rd-9b2';

describe(
  'a capture of both sides of a relay',
  { skip: labSkipReason() ?? (!existsSync(PCAP) && 'smb-length-5770 capture not present') },
  () => {
    let lab: SambaLab;
    let dir: string;

    before(async () => {
      lab = await startSambaLab({ users: [{ user: 'smbench', password: PASSWORD }] });
      dir = await mkdtemp(join(tmpdir(), 'smbench-relay-e2e-'));
    });
    after(async () => {
      await lab?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test('compiles each request once and replays every op', async () => {
      const workload = join(dir, 'relay.smbw');
      const compiled = await compileCaptures([PCAP], { output: workload });
      const s = compiled.stats;
      // 921 requests with a session crossed the relay twice; the second copy of each is dropped.
      assert.ok(s.mirroredRequests >= 900, String(s.mirroredRequests));
      assert.ok(s.mirroredResponses >= s.mirroredRequests);
      assert.equal(s.sessions.kerberos, 1);
      assert.ok(s.validateNegotiates >= 1);
      assert.ok(!('connectionControl' in s.skipped));
      // The one left is the capture's own: a CHANGE_NOTIFY with a related FileId outside a compound.
      assert.ok(s.skipped.unknownHandle <= 1, JSON.stringify(s.skipped));
      assert.equal(compiled.users.length, 1);

      const outcome = await runWorkload({
        workload,
        target: { host: lab.host, port: lab.port, share: lab.shares[0]!.name },
        credentials: [{ user: 'smbench', password: PASSWORD, domain: '' }],
        pacing: { mode: 'max' },
        prepare: true,
        cleanup: true,
        minFidelity: 0,
        progress: false,
      });
      const r = outcome.results;
      const skipped = Object.values(r.skips).reduce((n, c) => n + c, 0);
      assert.equal(r.totals.ops + skipped, s.ops);
      // What is left of the mismatches is the target (named streams), not a doubled op stream.
      assert.ok(r.fidelity.matchRatio > 0.85, JSON.stringify(r.mismatches?.slice(0, 5)));
    });
  },
);
