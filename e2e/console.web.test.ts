import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Launcher } from '../scripts/launcher';
import { freePort } from '../services/controller/src/db/embedded-postgres';
import { localStackEnv } from '../test/support/local-home';
import { totpNow } from '../test/support/totp';
import { within } from '../test/support/wait';
import { checkPage, launchChromium, newUser, withAnotherUser } from './support/browser';

/**
 * The console against the real system, started the way `npm start` starts it (console
 * build, embedded PostgreSQL, executor, controller, demo router) on free ports and a
 * temporary NETPILOT_HOME, clicked through by a person's steps in Debian's Chromium.
 */
describe('the web console, end to end', () => {
  let tmp: string;
  let launcher: Launcher;
  let browser: Browser;
  let admin: Awaited<ReturnType<typeof newUser>>;
  let base: string;
  const password = 'correct horse battery staple';
  const operator = { username: 'operator2', password: 'another long password' };
  const nas = '00:11:32:aa:bb:cc';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    const local = await localStackEnv('netpilot-web-');
    tmp = local.tmp;
    launcher = new Launcher({
      env: { ...process.env, ...local.env, DATABASE_URL: '', ALLOW_REGISTRATION: 'false' },
      childStdio: process.env.TEST_LOG_LEVEL ? 'inherit' : 'ignore',
    });
    await launcher.start();
    base = launcher.controllerUrl;
    browser = await launchChromium();
    admin = await newUser(browser);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await launcher?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  afterEach(() => {
    // Every page ran under the strict CSP without a refused script or style, and without a page error.
    expect(admin?.problems ?? []).toEqual([]);
  });

  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
  const demo = () => launcher.demo!.sim;

  test('when a newcomer opens the console on a fresh install, then they create the first admin and are offered the demo router', async () => {
    const { page } = admin;
    await page.goto(`${base}/`);
    await heading(page, 'Welcome to NetPilot').waitFor();
    await checkPage(page, 'setup');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await page.getByText('Use at least 10 characters.').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Repeat the password').fill(`${password}!`);
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await page.getByText('The two passwords differ').waitFor();
    await page.getByLabel('Repeat the password').fill(password);
    await page.getByRole('button', { name: 'Create the admin account' }).click();
    await heading(page, 'Routers').waitFor();
    await page.getByRole('button', { name: 'Add the demo router' }).waitFor();
    await checkPage(page, 'routers-empty');
  });

  test('when the admin turns on two-factor, then the QR code and key show, the code from the key enables it, and recovery codes are shown once', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Account' }).click();
    await heading(page, 'Account').waitFor();
    await checkPage(page, 'account');
    await page.getByRole('button', { name: 'Set up two-factor' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await checkPage(page, 'account-2fa-setup');
    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    await page.getByText('That code is not right').waitFor();
    await page.getByLabel('Code from the app').fill(totpNow(secret));
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();
    await page.getByText('Two-factor sign-in is on.').waitFor();
    recoveryCodes = (await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents()).map((c) => c.trim());
    expect(recoveryCodes).toHaveLength(10);
    await checkPage(page, 'account-recovery-codes');
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByText('Two-factor sign-in is on for your account.').waitFor();

    // Sign out, and in again with the password and then the code.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading(page, 'Sign in').waitFor();
    await checkPage(page, 'sign-in');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The username or password is wrong').waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, 'Two-factor code').waitFor();
    await checkPage(page, 'sign-in-code');
    // The next step's code: the one used to enable two-factor cannot be replayed.
    await page.getByLabel('Authentication code').fill(totpNow(secret, 1));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await heading(page, 'Routers').waitFor();
  });

  test('when the admin has lost the phone, then a recovery code signs them in on another browser, once', async () => {
    await withAnotherUser(browser, async (other) => {
      const signInWithRecovery = async () => {
        await other.page.goto(`${base}/`);
        await heading(other.page, 'Sign in').waitFor();
        await other.page.getByLabel('Username').fill('admin');
        await other.page.getByLabel('Password').fill(password);
        await other.page.getByRole('button', { name: 'Sign in' }).click();
        await other.page.getByRole('button', { name: 'Use a recovery code instead' }).click();
        await other.page.getByLabel('Recovery code').fill(recoveryCodes[0]);
        await other.page.getByRole('button', { name: 'Verify and sign in' }).click();
      };
      await signInWithRecovery();
      await heading(other.page, 'Routers').waitFor();
      await other.page.getByRole('button', { name: 'Sign out' }).click();
      await heading(other.page, 'Sign in').waitFor();
      await signInWithRecovery();
      await other.page.getByText('That recovery code is not valid or was already used.').waitFor();
    });
  });

  test('when the admin adds the demo router in one click, then its LAN devices appear and it shows online', async () => {
    const { page } = admin;
    await page.getByRole('button', { name: 'Add the demo router' }).click();
    await heading(page, 'Demo router').waitFor();
    await page.getByRole('button', { name: 'Block nas', exact: true }).waitFor();
    // Each device's name comes with its rename control.
    for (const name of ['raspberrypi', 'octopi']) await page.getByRole('button', { name: `Rename ${name}`, exact: true }).waitFor();
    // Its router side registers with the provision key it was handed and sends heartbeats: online, live.
    await page.getByText('Online', { exact: true }).waitFor({ timeout: 10_000 });
    await checkPage(page, 'router-devices');
  });

  test('when the page is reloaded, then the admin is still signed in, with no token in web storage and no cookie visible to scripts', async () => {
    const { page, context } = admin;
    await page.reload();
    await heading(page, 'Demo router').waitFor();
    await page.getByRole('button', { name: 'Block nas', exact: true }).waitFor();
    expect(await page.evaluate('localStorage.length + sessionStorage.length')).toBe(0);
    expect(await page.evaluate('document.cookie')).toBe('');
    const refresh = (await context.cookies()).find((c) => c.name === 'netpilot_refresh');
    expect(refresh).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' });
  });

  test('when a device is blocked with one click and unblocked, then the router enforces it and then not, and the history shows both', async () => {
    const { page } = admin;
    expect(demo().state.blocked.macs).not.toContain(nas);
    await page.getByRole('button', { name: 'Block nas', exact: true }).click();
    await page.getByRole('button', { name: 'Unblock nas', exact: true }).waitFor();
    expect(demo().state.blocked.macs).toContain(nas);

    await page.getByRole('link', { name: 'Blocks' }).click();
    await page.getByRole('cell', { name: nas, exact: true }).waitFor();
    await page.getByText('Enforced').waitFor();
    await checkPage(page, 'router-blocks');

    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('button', { name: 'Unblock nas', exact: true }).click();
    await page.getByRole('button', { name: 'Block nas', exact: true }).waitFor();
    expect(demo().state.blocked.macs).not.toContain(nas);

    await page.getByRole('link', { name: 'History' }).click();
    await heading(page, 'Demo router').waitFor();
    const rows = page.getByRole('row');
    await rows.filter({ hasText: 'unblock' }).filter({ hasText: nas }).filter({ hasText: 'Succeeded' }).first().waitFor();
    await rows.filter({ has: page.getByRole('cell', { name: 'block', exact: true }) }).filter({ hasText: nas }).filter({ hasText: 'Succeeded' }).first().waitFor();
    await checkPage(page, 'router-history');

    await page.getByRole('link', { name: 'Info' }).click();
    await page.getByText('demo-openwrt').waitFor();
    await checkPage(page, 'router-info');
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Router name').waitFor();
    await checkPage(page, 'router-settings');
  });

  test('when a device is named, blocked for 30 minutes and put on a schedule, then its name shows everywhere, the router follows the schedule by itself, and the events say so', async () => {
    const { page } = admin;
    const pi = 'b8:27:eb:12:34:56';
    const tabs = page.getByRole('navigation', { name: 'Router sections' });
    await tabs.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('button', { name: 'Rename raspberrypi' }).click();
    await page.getByLabel(`Name for ${pi}`).fill('Living room Pi');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Block Living room Pi', exact: true }).waitFor();

    // A temporary block, chosen by the device's name.
    await tabs.getByRole('link', { name: 'Blocks' }).click();
    await page.getByLabel('Device', { exact: true }).selectOption({ label: 'Living room Pi · 192.168.1.23' });
    await page.getByLabel('For how many minutes (optional)').fill('30');
    await page.getByRole('button', { name: 'Block', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: 'Living room Pi' });
    await row.getByRole('cell', { name: pi, exact: true }).waitFor();
    expect(await row.getByRole('cell').filter({ has: page.locator('time') }).count()).toBeGreaterThan(0);
    expect(demo().state.blocked.macs).toContain(pi);
    await checkPage(page, 'router-blocks-temporary');
    await page.getByRole('button', { name: 'Unblock Living room Pi' }).click();
    await page.getByText('Nothing is blocked on this router.').waitFor();
    expect(demo().state.blocked.macs).not.toContain(pi);

    // A schedule open all day, every day: the reconciler blocks the device without another click.
    await tabs.getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('heading', { name: 'Schedules', level: 2 }).waitFor();
    await page.getByLabel('Device', { exact: true }).selectOption({ label: 'Living room Pi · 192.168.1.23' });
    await page.getByLabel('Name (optional)').fill('Quiet hours');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) await page.getByLabel(day, { exact: true }).check();
    await page.getByLabel('From').fill('00:00');
    await page.getByLabel('To', { exact: true }).fill('00:00');
    await page.getByRole('button', { name: 'Add schedule' }).click();
    const scheduled = page.getByRole('row').filter({ hasText: 'Quiet hours' });
    await scheduled.getByText('Blocking now').waitFor();
    await scheduled.getByText('Every day 00:00–24:00').waitFor();
    await within(5_000, () => demo().state.blocked.macs.includes(pi));
    await checkPage(page, 'router-schedules');
    await tabs.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('row').filter({ hasText: 'Living room Pi' }).getByText('by schedule Quiet hours').waitFor();

    await tabs.getByRole('link', { name: 'Schedules' }).click();
    await page.getByRole('button', { name: 'Pause Quiet hours' }).click();
    await scheduled.getByText('Paused').waitFor();
    await within(5_000, () => !demo().state.blocked.macs.includes(pi));
    await page.getByRole('button', { name: 'Delete Quiet hours' }).click();
    await page.getByText('No schedules yet.').waitFor();

    // The router's events: its devices seen first, the schedule's window applied.
    await tabs.getByRole('link', { name: 'Events' }).click();
    await page.getByRole('heading', { name: 'Events', level: 2 }).waitFor();
    await page.getByRole('row').filter({ hasText: 'device.new' }).first().waitFor();
    await page.getByLabel('Type').fill('schedule.applied');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByRole('cell', { name: `Quiet hours: window opened, ${pi} blocked` }).waitFor();
    await checkPage(page, 'router-events');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await heading(page, 'Events').waitFor();
    await page.getByRole('row').filter({ hasText: 'device.new' }).filter({ hasText: 'Demo router' }).first().waitFor();
    await checkPage(page, 'events');
  });

  test('when an address is blocked on all routers at once, then the result per router shows live and the router enforces it; unblocking everywhere lifts it', async () => {
    const { page } = admin;
    const ip = '192.168.1.77';
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Bulk' }).click();
    await heading(page, 'Block on many routers').waitFor();
    // Nothing chosen: the form says what is missing instead of sending.
    await page.getByRole('button', { name: 'Block everywhere', exact: true }).click();
    await page.getByText('Choose at least one router, or all of them.').waitFor();
    await page.getByLabel('Demo router', { exact: true }).check();
    await page.getByLabel('IP or MAC address').fill(ip);
    await page.getByLabel('Reason (optional)').fill('game night');
    await page.getByRole('button', { name: 'Block everywhere', exact: true }).click();
    await page.getByText('1 of 1 done.').waitFor();
    await page.getByRole('row').filter({ hasText: 'Demo router' }).getByText('Blocked', { exact: true }).waitFor();
    expect(demo().state.blocked.ipv4).toContain(ip);
    await checkPage(page, 'bulk');
    await page.getByLabel('All my routers').check();
    await page.getByRole('button', { name: 'Unblock everywhere' }).click();
    await page.getByRole('row').filter({ hasText: 'Demo router' }).getByText('Unblocked', { exact: true }).waitFor();
    expect(demo().state.blocked.ipv4).not.toContain(ip);
  });

  test('when a router is added by hand, then the connection test shows the pinned host key to confirm; a wrong expected key leads to accepting the new one', async () => {
    const { page } = admin;
    const simPassword = (await readFile(path.join(launcher.local!.home, 'demo-router', 'password'), 'utf8')).trim();
    await page.getByRole('link', { name: 'Routers' }).click();
    await page.getByRole('link', { name: 'Add a router' }).click();
    await heading(page, 'Add a router').waitFor();
    await checkPage(page, 'add-router');
    await page.getByRole('button', { name: 'Add and test the connection' }).click();
    await page.getByText('Give the router a name').waitFor();
    await page.getByText('Enter the SSH password').waitFor();

    await page.getByLabel('Name').fill('Office router');
    await page.getByLabel('Address').fill('127.0.0.1');
    await page.getByLabel('SSH port').fill(String(demo().port));
    await page.getByLabel('SSH password').fill(simPassword);
    await page.getByRole('button', { name: 'Add and test the connection' }).click();
    await heading(page, 'Connected').waitFor();
    await page.getByText(demo().hostKeySha256, { exact: true }).waitFor();
    await checkPage(page, 'add-router-connected');
    // "It does not match": the router is removed and the form comes back as it was.
    await page.getByRole('button', { name: 'It does not match: remove it' }).click();
    await heading(page, 'Add a router').waitFor();
    expect(await page.getByLabel('Name').inputValue()).toBe('Office router');

    await page.getByLabel('Expected host key fingerprint (optional)').fill(`SHA256:${'A'.repeat(43)}`);
    await page.getByRole('button', { name: 'Add and test the connection' }).click();
    await heading(page, 'Could not connect').waitFor();
    await page.getByText('HOST_KEY_MISMATCH').waitFor();
    await page.getByRole('link', { name: 'Keep it and set it up later' }).click();
    await heading(page, 'Office router').waitFor();
    await page.getByRole('link', { name: 'Info' }).click();
    await page.getByRole('heading', { name: 'The router presented a different SSH host key' }).waitFor();
    await page.getByText(demo().hostKeySha256, { exact: true }).waitFor();
    await checkPage(page, 'host-key-mismatch');
    await page.getByLabel("I checked on the router: the presented fingerprint is the router's").check();
    await page.getByRole('button', { name: 'Accept the new host key' }).click();
    await page.getByRole('link', { name: 'Devices' }).click();
    await page.getByRole('link', { name: 'Info' }).click();
    await page.getByText('demo-openwrt').waitFor();
    await page.getByRole('link', { name: 'Routers' }).click();
    await page.getByRole('cell', { name: 'Office router' }).waitFor();
    await checkPage(page, 'routers');
  });

  test('when the admin ends another user’s session, then that browser is signed out within 10 s', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Users' }).click();
    await heading(page, 'Users').waitFor();
    await page.getByLabel('Username').fill(operator.username);
    await page.getByLabel('Initial password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Use at least 10 characters.').waitFor();
    await page.getByLabel('Initial password').fill(operator.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText(`${operator.username} created.`).waitFor();
    await checkPage(page, 'admin-users');

    await withAnotherUser(browser, async (other) => {
      await signInAs(other.page, base, operator);
      await heading(other.page, 'Routers').waitFor();

      await page.getByRole('link', { name: 'Sessions' }).click();
      await heading(page, 'Sessions').waitFor();
      const terminate = page.getByRole('button', { name: `Terminate the session of ${operator.username} from 127.0.0.1` });
      await terminate.waitFor();
      await checkPage(page, 'admin-sessions');
      const started = Date.now();
      await terminate.click();
      await heading(other.page, 'Sign in').waitFor({ timeout: 10_000 });
      expect(Date.now() - started).toBeLessThan(10_000);
      await other.page.getByText('Your session was ended').waitFor();
    });
  });

  test('when the admin filters the audit log and verifies it, then matching entries show and the chain is whole', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Audit log' }).click();
    await heading(page, 'Audit log').waitFor();
    await page.getByLabel('Action').fill('router.block');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    // The unfiltered page listed unblocks too; the filtered one has only blocks.
    await page.getByRole('cell', { name: 'router.unblock', exact: true }).first().waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'router.block', exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText(/The hash chain is whole: \d+ entries/).waitFor();
    await checkPage(page, 'admin-audit');
  });

  test('when two browsers watch one router through two controller replicas, then a block made in one shows in the other within 2 s without a reload', async () => {
    const port = await freePort();
    await launcher.startController(port);
    const second = `http://127.0.0.1:${port}`;
    await withAnotherUser(browser, (one) =>
      withAnotherUser(browser, async (two) => {
        await signInAs(one.page, base, operator);
        await one.page.getByRole('button', { name: 'Add the demo router' }).click();
        await heading(one.page, 'Demo router').waitFor();
        await one.page.getByRole('button', { name: 'Block octopi', exact: true }).waitFor();

        await signInAs(two.page, second, operator);
        await two.page.getByRole('link', { name: 'Demo router' }).click();
        await two.page.getByRole('button', { name: 'Block octopi', exact: true }).waitFor();
        await two.page.getByText('Live', { exact: true }).waitFor();

        // By keyboard: the button takes focus and Enter presses it.
        await one.page.getByRole('button', { name: 'Block octopi', exact: true }).focus();
        await one.page.keyboard.press('Enter');
        await one.page.getByRole('button', { name: 'Unblock octopi', exact: true }).waitFor();
        const stored = Date.now();
        await two.page.getByRole('button', { name: 'Unblock octopi', exact: true }).waitFor({ timeout: 2000 });
        expect(Date.now() - stored).toBeLessThan(2000);
      }),
    );
  });
});

/** Signs in with the keyboard only: the username field has focus, Tab moves on, Enter submits. */
async function signInAs(page: Page, base: string, who: { username: string; password: string }): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.keyboard.type(who.username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(who.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Routers', exact: true }).waitFor();
}
