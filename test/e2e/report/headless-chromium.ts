/**
 * Headless Chromium (Debian's `chromium` package) for checking the HTML report the way a person
 * sees it: scripts run, the DOM is dumped after load, or a screenshot is taken. Skipped (loudly)
 * when Chromium is missing, except on CI where it is installed (.ci/run, scripts/ensure-deps.mjs).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | undefined {
  const fromEnv = process.env['SMBENCH_CHROMIUM'];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return CANDIDATES.find((p) => existsSync(p));
}

/** undefined when Chromium is usable; otherwise why the test is skipped (throws on CI). */
export function chromiumSkipReason(): string | undefined {
  if (findChromium() !== undefined) return undefined;
  const reason = 'Chromium not installed: apt-get install chromium';
  if ((process.env['CI'] ?? '') !== '') throw new Error(`${reason}. CI requires it for the report tests.`);
  process.stderr.write(`\n!!! SKIPPING REPORT BROWSER TESTS: ${reason} !!!\n\n`);
  return reason;
}

/** Flags that keep Chromium off the network and away from the user's profile. */
const QUIET_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

async function runChromium(args: readonly string[]): Promise<string> {
  const chromium = findChromium();
  if (chromium === undefined) throw new Error('chromium not found');
  const profile = await mkdtemp(join(tmpdir(), 'smbench-chromium-'));
  try {
    return await new Promise<string>((resolve, reject) => {
      execFile(
        chromium,
        [...QUIET_FLAGS, `--user-data-dir=${profile}`, ...args],
        { timeout: 60_000, maxBuffer: 64 << 20 },
        (err, stdout, stderr) => {
          if (err) reject(new Error(`chromium failed: ${err.message}\n${stderr}`));
          else resolve(stdout);
        },
      );
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** The serialized DOM after the page loaded and its scripts ran. */
export function dumpDom(htmlFile: string): Promise<string> {
  return runChromium(['--dump-dom', pathToFileURL(htmlFile).href]);
}

export async function screenshot(htmlFile: string, pngFile: string, size = '1200,2400'): Promise<void> {
  await runChromium([`--window-size=${size}`, `--screenshot=${pngFile}`, pathToFileURL(htmlFile).href]);
}

/** Width and height from a PNG's IHDR chunk (PNG spec 11.2.2), after the 8-byte signature. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The chart checks shared by the report tests: each chart exists, was made interactive, has lines. */
export function chartsInDom(dom: string): Map<string, { interactive: boolean; points: number[] }> {
  const charts = new Map<string, { interactive: boolean; points: number[] }>();
  for (const m of dom.matchAll(/<svg\b[^>]*\bdata-chart="([^"]+)"[^>]*>([\s\S]*?)<\/svg>/g)) {
    const tag = m[0].slice(0, m[0].indexOf('>'));
    const points = [...(m[2] ?? '').matchAll(/<path [^>]*data-points="(\d+)"[^>]*d="M[^"]*"/g)].map((p) =>
      Number(p[1]),
    );
    charts.set(m[1] as string, { interactive: /data-interactive="true"/.test(tag), points });
  }
  return charts;
}
