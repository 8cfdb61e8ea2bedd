import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium with the flags this machine needs (no sandbox as root, no background
 * traffic). playwright-core gives every launch a fresh profile directory of its own (it
 * refuses --user-data-dir in args).
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser profile (own cookies) at desktop size; records CSP violations and page errors. */
export async function newUser(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
  });
  return { context, page, problems };
}

/** Runs `use` with another person's browser profile, closed afterwards; fails on its CSP or page errors. */
export async function withAnotherUser(browser: Browser, use: (user: Awaited<ReturnType<typeof newUser>>) => Promise<void>): Promise<void> {
  const user = await newUser(browser);
  try {
    await use(user);
    if (user.problems.length) throw new Error(user.problems.join('\n'));
  } finally {
    await user.context.close();
  }
}

let axeSource: string | null = null;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated over the DevTools protocol: the page's own CSP (no inline scripts) does not apply.
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(axeSource);
  const violations = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then(r => r.violations)')) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/**
 * Checks the page as a person would at desktop and phone size: no serious or critical axe
 * violation, nothing wider than a 390 px screen, the page heading in view; saves a
 * screenshot of each when NETPILOT_SCREENSHOTS names a directory.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const problems: string[] = [];
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(100);
    problems.push(...(await seriousViolations(page)).map((v) => `${size}: ${v}`));
    if (size === 'phone') {
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      if (overflow > 1) problems.push(`phone: the page is ${overflow} px wider than the screen`);
    }
    if (!(await page.locator('h1').first().isVisible())) problems.push(`${size}: no visible page heading`);
    const dir = process.env.NETPILOT_SCREENSHOTS;
    if (dir) {
      await mkdir(dir, { recursive: true });
      await page.screenshot({ path: path.join(dir, `${name}-${size}.png`) });
    }
  }
  await page.setViewportSize(DESKTOP);
  if (problems.length) throw new Error(`${name}:\n${problems.join('\n')}`);
}
