import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's `chromium` package, which tools/setup.sh installs (Playwright's own download is not used). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a quiet, self-contained headless run: no sandbox (tests run as root), no GPU, and
 * nothing that calls home (component updates, sync, background networking, QUIC probes).
 * Playwright gives each launch a fresh profile of its own and removes it on close.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Debian's Chromium headless through playwright-core. Fails, rather than skips, when the
 * package is missing: a page test that does not run proves nothing.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: page tests need Debian's chromium (bash tools/setup.sh installs it, or apt-get install chromium)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
