/** User models learned from workloads and synthetic workloads drawn from them (docs/model.md). */
export { learnModel } from './learn.js';
export type { LearnSource } from './learn.js';
export { readModel, writeModel, modelProblem } from './model-file.js';
export type { UserModel } from './model-types.js';
export { MODEL_FORMAT, MODEL_VERSION } from './model-types.js';
export { synthesizeWorkload } from './synth/synthesize.js';
export type { SynthOptions, SynthResult } from './synth/synthesize.js';
export { profileWorkload } from './compare/workload-profile.js';
export type { WorkloadProfile } from './compare/workload-profile.js';
export { compareWorkloads, profileWorkloadFile } from './compare/compare-workloads.js';
export { compareProfiles, formatProfileComparison } from './compare/compare-profiles.js';
export type { DistributionDistance, ProfileComparison } from './compare/compare-profiles.js';
