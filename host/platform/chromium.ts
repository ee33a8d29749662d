// Debian's Chromium, launched the one way this project uses it (browser tests, the browser half of the sim
// bench): playwright-core with the system binary, never a downloaded browser. CHROMIUM_PATH overrides where it is.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync',
];

/** Launches headless Chromium from `path`; a missing binary is an error saying how to install it. */
export function launchChromium(path = CHROMIUM_PATH): Promise<Browser> {
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}: run \`apt-get install chromium\` (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: path, args: CHROMIUM_ARGS, headless: true });
}
