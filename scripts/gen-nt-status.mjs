// Generates src/smb2/nt-status-names.ts: the NTSTATUS value -> name table (MS-ERREF 2.3.1).
// The source of truth is Wireshark's table, dumped with `tshark -G values` (field smb2.nt_status).
// The generated file is committed, so neither building nor testing needs tshark.
//
// Usage: node scripts/gen-nt-status.mjs [tshark-values.txt]
//   With no argument it runs `tshark -G values` itself.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIELD = 'smb2.nt_status';
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'smb2', 'nt-status-names.ts');

const input = process.argv[2]
  ? readFileSync(process.argv[2], 'utf8')
  : execFileSync('tshark', ['-G', 'values'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });

let version = 'unknown';
try {
  const first = execFileSync('tshark', ['-v'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).split('\n')[0];
  version = first?.trim().replace(/\.$/, '') || version;
} catch {
  // Reading a saved dump without tshark installed: the version is simply not recorded.
}

/** `V <tab> field <tab> decimal value <tab> name` lines, one per value_string entry. */
const byValue = new Map();
for (const line of input.split('\n')) {
  const cols = line.split('\t');
  if (cols[0] !== 'V' || cols[1] !== FIELD || cols.length < 4) continue;
  const value = Number(cols[2]) >>> 0;
  const name = cols[3].trim();
  if (!/^[A-Za-z0-9_]+$/.test(name)) continue;
  if (!byValue.has(value)) byValue.set(value, name);
}
if (byValue.size < 100) {
  console.error(
    `gen-nt-status: only ${byValue.size} ${FIELD} values found; is this tshark -G values output?`,
  );
  process.exit(1);
}

const hex = (v) => `0x${v.toString(16).padStart(8, '0')}`;
const rows = [...byValue.entries()].sort((a, b) => a[0] - b[0]).map(([v, n]) => `  [${hex(v)}, '${n}'],`);

const text = `// GENERATED FILE, DO NOT EDIT. Regenerate with: node scripts/gen-nt-status.mjs
// Source: Wireshark's NTSTATUS value_string (\`tshark -G values\`, field ${FIELD}), ${version}.
// ${byValue.size} entries. Values are unsigned 32-bit NTSTATUS codes (MS-ERREF 2.3.1).

/** NTSTATUS value -> name, sorted by value. */
export const NT_STATUS_NAMES: ReadonlyArray<readonly [number, string]> = [
${rows.join('\n')}
];
`;
writeFileSync(OUT, text);
console.log(`gen-nt-status: wrote ${byValue.size} entries to ${OUT}`);
