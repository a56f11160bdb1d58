/** Profiles two workload files (each fully validated first) and compares their distributions. */
import { assertValidIr, readIr } from '../../ir/index.js';
import { compareProfiles } from './compare-profiles.js';
import type { ProfileComparison } from './compare-profiles.js';
import { profileWorkload } from './workload-profile.js';
import type { WorkloadProfile } from './workload-profile.js';

/** The profile of one workload file, validated in full (assertValidIr) before it is read. */
export async function profileWorkloadFile(path: string): Promise<WorkloadProfile> {
  await assertValidIr(path);
  const ir = await readIr(path);
  try {
    return await profileWorkload(ir);
  } finally {
    await ir.close();
  }
}

export async function compareWorkloads(reference: string, other: string): Promise<ProfileComparison> {
  return compareProfiles(await profileWorkloadFile(reference), await profileWorkloadFile(other));
}
