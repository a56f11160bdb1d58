/** The capture compiler: SMB2/3 captures -> workload IR v1 (docs/compiler.md). */
export { compileCaptures } from './compile.js';
export type { CompileResult, CompileUserSummary } from './compile.js';
export { COMPILE_DEFAULTS } from './compile-options.js';
export type { AnonymizeOptions, CompileOptions } from './compile-options.js';
export { SKIP_REASONS, totalSkipped } from './compile-stats.js';
export type { CompileStats, SkipReason } from './compile-stats.js';
export { WARNING_KINDS } from './compile-warnings.js';
export type { CompileWarning, WarningKind } from './compile-warnings.js';
export { Anonymizer } from './emit/anonymizer.js';
export { compileResultJson, formatCompileSummary } from './compile-summary.js';
