// The gateway's HTTP front under raw hostile bytes (bounded run; `npm run fuzz` runs thousands).
// Used by http-front-faithful.fuzz.test.ts and http-front-lenient.fuzz.test.ts.
// Each batch sends cases concurrently, each on its own socket; after the run the gateway must still
// serve, hold no socket and no session, and have reported no internal error.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpConnection } from '../harness/http-client.ts';
import { settleConnections } from '../faults/probe.ts';
import { waitFor } from '../harness/bytes.ts';
import { fuzzParams, replaying } from './budget.ts';
import { FRONT_OPTIONS, frontCaseArb, internalErrors, runFrontCase, startFrontRig, type FrontRig } from './http-front.ts';

/** The bounded HTTP front fuzz suite for one profile (one test file each, to keep files short). */
export function httpFrontSuite(profile: 'faithful' | 'lenient'): void {
  describe(`HTTP front fuzz (${profile}, bounded)`, () => {
    let rig: FrontRig;
    let baseline = 0;
    let heapBefore = 0;
    beforeAll(async () => {
      rig = await startFrontRig(profile);
      // The rig's keeper connection stays open; the probe request's socket may still be closing.
      baseline = await settleConnections(rig.server, 1);
      heapBefore = process.memoryUsage().heapUsed;
    });
    afterAll(async () => {
      await rig.close();
    });

    it('random, rebuilt and mutated real requests: clean statuses, every complete request answered', async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(frontCaseArb, { minLength: 12, maxLength: 12 }), async (batch) => {
          const outcomes = await Promise.all(batch.map((c) => runFrontCase(rig, c)));
          for (const o of outcomes) for (const s of o.statuses) statuses.set(s, (statuses.get(s) ?? 0) + 1);
        }),
        fuzzParams(`http-front-${profile}`, 8),
      );
      expect(internalErrors(rig.events)).toEqual([]);
      // The run reached the gateway's real paths, not only the parser's refusals.
      if (!replaying) {
        expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
        expect(statuses.get(400) ?? 0).toBeGreaterThan(10);
      }
    });

    it('afterwards: still serving, sockets back to baseline, sessions reaped, memory bounded', async () => {
      const c = await HttpConnection.connect(rig.port);
      const r = await c.send('POST /gateway/gateway.dll?Action=open&Server=NS&IP=messenger.hotmail.com HTTP/1.1\r\nHost: x\r\nContent-Length: 18\r\n\r\nVER 1 MSNP8 CVR0\r\n');
      expect(r.status).toBe(200);
      c.close();
      expect(await settleConnections(rig.server, baseline)).toBe(baseline);
      await waitFor(() => rig.gateway.sessionCount() === 0, FRONT_OPTIONS.idleTimeoutMs! * 4, 'idle sessions reaped');
      // Coarse on purpose (no forced GC here): a leak per request would show as far more.
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(96 * 1024 * 1024);
    });
  });
}
