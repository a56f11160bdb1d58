/** The workload IR: types, file format, reader/writer, validation and summary (docs/ir.md). */
export * from './types.js';
export * from './version.js';
export { handleId, handleNumber, isHandleId, isUserId, userId, workloadIdFromSha256 } from './ids.js';
export {
  IR_ROOT_PATH,
  irAncestors,
  irJoinPath,
  irParentPath,
  irPathFromWire,
  irPathProblem,
  isIrPath,
} from './ir-path.js';
export { isNtError, isNtStatusValue, STATUS_SUCCESS } from './nt-status.js';
export { IrFileError } from './ir-error.js';
export { IrWriter } from './ir-writer.js';
export type { IrWriteResult, IrWriterOptions } from './ir-writer.js';
export { readIr, readIrFully } from './ir-reader.js';
export type { IrReader, OpsFilter, ReadIrOptions } from './ir-reader.js';
export { verifyIrContentHash } from './verify-hash.js';
export { assertValidIr, formatIrProblems, validateIr } from './validate-ir.js';
export type { IrProblem, IrValidation, ValidateIrOptions } from './validate-ir.js';
export { percentiles, summarizeIr } from './summary.js';
export type { IrSummary, Percentiles, SummarySource, UserSummary } from './summary.js';
