// CAL: inviting someone into a switchboard. Returns 0 on success or the MSNP error to answer.
import type { Hub } from '../hub.ts';
import type { Room } from './room.ts';
import type { SbSession } from './session.ts';

export function callInto(hub: Hub, room: Room, caller: SbSession, target: string): number {
  if (!hub.exists(target)) return 208;
  if (room.has(target)) return 215;
  if (room.full) return 280;
  // Offline, hidden, or not accepting us: the real service said 217 for all of these.
  if (target === caller.handle || hub.visiblePresence(target, caller.handle) === null) return 217;
  const bot = hub.virtual(target);
  if (bot !== null) {
    bot.invite(room, caller.handle);
    return 0;
  }
  const callee = hub.session(target);
  if (callee === null) return 217;
  const cookie = hub.issueCookie({ handle: target, kind: 'ring', roomId: room.id, version: callee.version, caps: callee.presence?.caps ?? '0' });
  callee.notifyRing({
    sessionId: room.id,
    address: hub.sbAddress(),
    cookie: cookie.cookie,
    inviter: caller.handle,
    inviterFriendly: caller.friendlyName,
  });
  return 0;
}
