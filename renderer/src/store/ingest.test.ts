import { afterEach, describe, expect, it } from 'vitest';
import { FakeClient } from '../test/fake-client.ts';
import { command, session } from '../test/records.ts';
import { attachIngest, MAX_QUEUED_BATCHES } from './ingest.ts';
import { OLDER_PAGE } from './older.ts';
import { FIRST_PAGE } from './snapshot.ts';
import type { Scheduler } from './ingest.ts';
import { createInspectorStore } from './store.ts';

class ManualFrames implements Scheduler {
  pending: (() => void)[] = [];
  frame(callback: () => void) {
    this.pending.push(callback);
    return () => {
      this.pending = this.pending.filter((c) => c !== callback);
    };
  }
  run() {
    const due = this.pending.splice(0);
    for (const c of due) c();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));
let detach: (() => void) | null = null;
afterEach(() => detach?.());

describe('attachIngest', () => {
  it('loads a snapshot on connect, then applies batches once per frame', async () => {
    const client = new FakeClient({ sessions: [session('s1')], commands: [command(1), command(2)] });
    const store = createInspectorStore();
    const frames = new ManualFrames();
    detach = attachIngest(client, store, frames);
    await settle();
    expect(store.getState().commands.map((c) => c.id)).toEqual([1, 2]);
    expect(store.getState().connection).toBe('open');

    let renders = 0;
    store.subscribe(() => renders++);
    for (let i = 3; i < 103; i++) client.emit({ commands: [command(i)] });
    expect(store.getState().commands.length).toBe(2);
    expect(frames.pending.length).toBe(1);
    frames.run();
    expect(store.getState().commands.length).toBe(102);
    expect(renders).toBe(1);
  });

  it('shows the newest page first, then loads the rest a page per frame, at most the core page size', async () => {
    const commands = Array.from({ length: 12_345 }, (_, i) => command(i + 1));
    const client = new FakeClient({ commands });
    const store = createInspectorStore();
    const frames = new ManualFrames();
    detach = attachIngest(client, store, frames);
    await settle();
    expect(store.getState().commands.length).toBe(FIRST_PAGE.commands);
    expect(store.getState().older.commands).toBe(12_345 - FIRST_PAGE.commands);
    let frameCount = 0;
    while (store.getState().older.commands > 0 && frameCount < 100) {
      frames.run();
      frameCount++;
      await settle();
    }
    expect(store.getState().commands.length).toBe(12_345);
    expect(frameCount).toBe(Math.ceil((12_345 - FIRST_PAGE.commands) / OLDER_PAGE));
    expect(client.callsOf('commands.query').every((r) => (r.limit ?? 0) <= 5000)).toBe(true);
  });

  it('reloads a snapshot when the queue overflows instead of growing without bound', async () => {
    const client = new FakeClient();
    const store = createInspectorStore();
    const frames = new ManualFrames();
    detach = attachIngest(client, store, frames);
    await settle();
    const before = client.callsOf('sessions.list').length;
    for (let i = 0; i <= MAX_QUEUED_BATCHES; i++) client.emit({ commands: [command(i + 1)] });
    await settle();
    expect(client.callsOf('sessions.list').length).toBe(before + 1);
  });

  it('shows a clear error when the snapshot cannot be loaded', async () => {
    const client = new FakeClient().on('sessions.list', () => {
      throw new Error('core is gone');
    });
    const store = createInspectorStore();
    detach = attachIngest(client, store, new ManualFrames());
    await settle();
    expect(store.getState().lastError).toBe('Could not load the capture: core is gone');
  });

  it('after a cleared batch (a capture opened from a file) pages the new capture in like a snapshot', async () => {
    const client = new FakeClient({ sessions: [session('s1')], commands: [command(1)] });
    const store = createInspectorStore();
    const frames = new ManualFrames();
    detach = attachIngest(client, store, frames);
    await settle();
    client.data.commands = Array.from({ length: 30 }, (_, i) => command(100 + i));
    client.emit({ cleared: true, sessions: [session('s9')] });
    frames.run();
    await settle();
    expect(store.getState().commands.map((c) => c.id)).toEqual(client.data.commands.map((c) => c.id));
  });
});
