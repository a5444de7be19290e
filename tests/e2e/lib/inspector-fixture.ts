// Playwright fixtures: a real headless inspector per test (gateway, emulator with Passport,
// inspector API, UI listener, all on ephemeral loopback ports), a page opened on its tokened URL,
// and a scripted legacy client that logs in through the gateway from the test process.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import type { Page } from '@playwright/test';
import { startHeadless } from './headless-handle.ts';
import type { HeadlessHandle } from './headless-handle.ts';
import { LegacyClient } from '../../harness/legacy-clients.ts';
import { loginMsnp8 } from './login.ts';

export interface InspectorFixtures {
  inspector: HeadlessHandle;
  /** The inspector window, loaded and connected (the status bar shows the gateway). */
  app: Page;
  /** Logs in a scripted MSN Messenger 6 client through the gateway; closed after the test. */
  signIn(handle?: string, password?: string): Promise<LegacyClient>;
}

export const test = base.extend<InspectorFixtures>({
  inspector: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-inspector-'));
    const headless = await startHeadless({
      dataDir: join(dir, 'data'),
      gatewayPort: 0,
      nsPort: 0,
      sbPort: 0,
      capture: false,
      warn: () => {},
      // No challenges or bot chatter in the middle of the scripted steps.
      emulator: { challenge: { enabled: false }, bot: { presenceIntervalMs: 0, replyDelayMs: 0 } },
    });
    await use(headless);
    await headless.close();
    await rm(dir, { recursive: true, force: true });
  },
  app: async ({ page, inspector }, use) => {
    await page.goto(inspector.addresses.inspector.url);
    await page.getByRole('status', { name: 'Status' }).getByText(`Gateway 127.0.0.1:${inspector.addresses.gateway.port}`).waitFor();
    await use(page);
  },
  signIn: async ({ inspector }, use) => {
    const clients: LegacyClient[] = [];
    await use(async (handle = 'alice@example.com', password = handle.split('@')[0]) => {
      const client = new LegacyClient('msn-official', { port: inspector.addresses.gateway.port });
      clients.push(client);
      await loginMsnp8(client, inspector.addresses.passport!.url, handle, password);
      return client;
    });
    for (const c of clients) c.close();
  },
});

export { expect } from '@playwright/test';
