import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_PATH, launchChromium, PHONE } from '@quan/testing';
import { benchEnvironment } from './bench/environment';
import { firstScreenFiles, Manifest, sizes } from './bench/first-screen';
import { runTool } from './run-tool';
import { ensureChromium, say } from './services';
import { buildWebApps, WEB_DIST } from './web-build';

const APP = 'resident';
/** The route chunk of the resident app's first screen (its login); apps/resident/src/app.tsx lazy-loads it. */
const FIRST_SCREEN = 'src/screens/login.tsx';
/** The phone number field of the login screen: usable once it is visible and enabled. */
const PHONE_INPUT = 'input[type="tel"]';
const TARGET_GZIP_BYTES = 250 * 1024;
const TARGET_USABLE_MS = 3000;
const RUNS = 3;
/** A slow mobile network (issue 15): 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip. */
const SLOW_MOBILE = { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8), uploadThroughput: (750e3 / 8) };

/**
 * `npm run bench:web`: the resident H5's first screen. Its JavaScript and CSS gzipped, read from the build
 * manifest (entry, login route, their static imports, their CSS); and the time from navigation start
 * until the login screen's phone field is visible and enabled, in headless Chromium as a phone on a
 * throttled network with the cache disabled, served by the compiled api (median of three loads).
 * Prints a table, then a JSON last line.
 */
runTool(async () => {
  ensureChromium(CHROMIUM_PATH);
  await buildWebApps();
  const dir = join(WEB_DIST, APP);
  const manifest = JSON.parse(readFileSync(join(dir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const files = sizes(dir, firstScreenFiles(manifest, FIRST_SCREEN));
  const gzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);

  const env = await benchEnvironment('the login screen needs no data');
  const browser = await launchChromium();
  const loads: number[] = [];
  try {
    const origin = new URL(await env.startApi()).origin;
    for (let run = 1; run <= RUNS; run += 1) {
      const context = await browser.newContext(PHONE);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', SLOW_MOBILE);
      await page.goto(`${origin}/h5/`, { waitUntil: 'commit' });
      // Checked in the page on each frame, and timed there from navigation start.
      await page.waitForFunction(
        `(() => { const input = document.querySelector('${PHONE_INPUT}'); return input !== null && !input.disabled && input.checkVisibility(); })()`,
        undefined,
        { polling: 'raf', timeout: 30000 },
      );
      const usableMs = Math.round((await page.evaluate('performance.now()')) as number);
      say(`load ${run}: login usable after ${usableMs} ms`);
      loads.push(usableMs);
      await context.close();
    }
  } finally {
    await browser.close();
    await env.dispose();
  }

  const usableMs = [...loads].sort((a, b) => a - b)[Math.floor(loads.length / 2)];
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  process.stdout.write(
    [
      '',
      `  first screen of /h5/ (${files.length} files)      raw KB   gzip KB`,
      ...files.map((f) => `    ${f.file.padEnd(38)} ${kb(f.bytes).padStart(8)} ${kb(f.gzipBytes).padStart(9)}`),
      `    ${'total'.padEnd(38)} ${kb(files.reduce((s, f) => s + f.bytes, 0)).padStart(8)} ${kb(gzipBytes).padStart(9)}   target ≤ ${kb(TARGET_GZIP_BYTES)}`,
      `  login usable, 1.6 Mbit/s, 150 ms RTT, no cache: ${loads.join(' / ')} ms, median ${usableMs} ms   target ≤ ${TARGET_USABLE_MS}`,
      '',
    ].join('\n') + '\n',
  );
  process.stdout.write(
    `${JSON.stringify({
      firstScreenGzipBytes: gzipBytes,
      firstScreenGzipKB: Number(kb(gzipBytes)),
      loginUsableMs: usableMs,
      loginUsableRunsMs: loads,
      withinTargets: gzipBytes <= TARGET_GZIP_BYTES && usableMs <= TARGET_USABLE_MS,
    })}\n`,
  );
});
