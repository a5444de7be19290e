// Window options, navigation/new-window guards, permission denial, CSP header, crash recovery.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebContents, resetFake, session } from '../fakes/electron.ts';
import { createCrashRecovery } from '../../electron/shell/crash-recovery.ts';
import { guardWebContents, hardenSession, isExternalLink, mainWindowOptions, RENDERER_CSP } from '../../electron/shell/window.ts';
import type { GuardedContents, SessionLike } from '../../electron/shell/window.ts';

const rendererDir = '/opt/app/out/renderer';

describe('mainWindowOptions', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, no webviews, the CJS preload', () => {
    const o = mainWindowOptions('/opt/app/out/preload/preload.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/opt/app/out/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(o.show).toBe(false);
  });

  it('has a strict CSP without inline scripts, eval or remote sources', () => {
    expect(RENDERER_CSP).toContain("default-src 'self'");
    expect(RENDERER_CSP).toContain("script-src 'self';");
    expect(RENDERER_CSP).toContain("object-src 'none'");
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|https?:|\*/);
  });
});

describe('guardWebContents', () => {
  let wc: FakeWebContents;
  const openExternal = vi.fn();
  beforeEach(() => {
    resetFake();
    openExternal.mockClear();
    wc = new FakeWebContents();
    guardWebContents(wc as unknown as GuardedContents, { rendererDir, openExternal });
  });

  it('stops navigation away from the bundled renderer, allows reloading it', () => {
    expect(wc.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true);
    expect(wc.emitPreventable('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(wc.emitPreventable('will-redirect', 'http://127.0.0.1/')).toBe(true);
    const frameNav = (url: string) => {
      let prevented = false;
      wc.emit('will-frame-navigate', { url, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(frameNav('https://evil.example/')).toBe(true);
    expect(frameNav(pathToFileURL(join(rendererDir, 'index.html')).href)).toBe(false);
    expect(wc.emitPreventable('will-navigate', pathToFileURL(join(rendererDir, 'index.html')).href)).toBe(false);
  });

  it('never opens windows; https links go to the OS browser', () => {
    expect(wc.windowOpenHandler!({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'http://plain.example/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://github.com/']]);
  });

  it('refuses webviews', () => {
    expect(wc.emitPreventable('will-attach-webview')).toBe(true);
  });

  it('isExternalLink wants https without credentials', () => {
    expect(isExternalLink('https://example.com/x')).toBe(true);
    expect(isExternalLink('https://user:pw@example.com/')).toBe(false);
    expect(isExternalLink('smb://host/share')).toBe(false);
    expect(isExternalLink('::')).toBe(false);
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check, and sets the CSP header', () => {
    resetFake();
    hardenSession(session.defaultSession as unknown as SessionLike);
    const s = session.defaultSession;
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      s.permissionRequestHandler!(null, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(s.permissionCheckHandler!(null, permission)).toBe(false);
    }
    let headers: Record<string, string[]> | undefined;
    s.headersListener!({ url: 'https://x/', responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders));
    expect(headers).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [RENDERER_CSP] });
  });
});

describe('createCrashRecovery', () => {
  it('reloads after a crash, gives up after repeated crashes within the window, ignores clean exits', () => {
    let t = 0;
    const r = createCrashRecovery({ maxReloads: 2, windowMs: 1000 }, () => t);
    expect(r.decide('clean-exit', 0)).toEqual({ action: 'ignore' });
    const first = r.decide('crashed', 139);
    expect(first.action).toBe('reload');
    expect((first as { notice: string }).notice).toContain('crashed, exit code 139');
    expect(r.decide('oom').action).toBe('reload');
    const third = r.decide('killed');
    expect(third.action).toBe('give-up');
    expect((third as { notice: string }).notice).toMatch(/not reloaded again/);
    t = 5000;
    expect(r.decide('crashed').action).toBe('reload');
  });
});
