// How a broadcast is laid over peerhub's rooms: the rules both sides of the Broadcast page follow.
//
// - A broadcast called N lives in the room "broadcast:N".
// - The broadcaster logs in under the name N itself. Names are unique on the server, so a second broadcaster
//   picking a live broadcast's name is refused at login ("name-taken"), before it opens a camera.
// - Watchers log in as "watcher-<random>". In the room, the member named N is the broadcaster; every other
//   member is a watcher. Watchers never connect to each other.
// - Each watcher gets its own RTCPeerConnection from the broadcaster (fan-out); the broadcaster offers.
// - Messages ({type:'message'}, data {broadcast: N, kind}):
//     start  broadcaster → one watcher, just before an offer from a NEW connection: the watcher drops the
//            connection it had, so a fresh offer is never applied to a stale RTCPeerConnection.
//     ended  broadcaster → the room: the broadcast was stopped (button or tab closed).
//     bye    watcher → broadcaster: this watcher left (button or tab closed).
//   A member that vanishes without ended/bye (its signaling connection dropped) may be coming back: a WebRTC
//   connection that is up does not need the server, so the other side keeps it and ends it only when it stops
//   working.

export const ROOM_PREFIX = 'broadcast:';
export const WATCHER_PREFIX = 'watcher';
// The server's default longest name (and room name) in bytes; the room name adds the prefix.
const MAX_NAME_BYTES = 64;

export function roomFor(name) {
  return ROOM_PREFIX + name;
}

// Words for what is wrong with a broadcast name, or '' when it can be used.
export function checkBroadcastName(name) {
  if (!name) return 'Give the broadcast a name, e.g. town-hall.';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'A broadcast name cannot contain control characters.';
  const limit = MAX_NAME_BYTES - ROOM_PREFIX.length;
  if (new TextEncoder().encode(name).length > limit) return `A broadcast name is at most ${limit} characters.`;
  return '';
}

export function broadcastData(name, kind) {
  return { broadcast: name, kind };
}

// The kind of a broadcast message about broadcast `name`, or '' for anything else.
export function kindOf(message, name) {
  const data = message.data;
  return data && typeof data === 'object' && data.broadcast === name && typeof data.kind === 'string' ? data.kind : '';
}

// The link a broadcaster shares: this page in watch mode.
export function watchUrl(name, base = window.location.href) {
  const url = new URL('broadcast.html', base);
  url.search = new URLSearchParams({ watch: name }).toString();
  return url.href;
}

// A room-level error in words; null for the ones the sessions handle themselves.
export function describeRoomError(message) {
  switch (message.code) {
    case 'room-full': {
      const most = /at most (\d+)/.exec(message.message ?? '')?.[1];
      const limit = most ? `: the server allows ${most} people in it, the broadcaster included` : '';
      return `This broadcast is full${limit}.`;
    }
    case 'rate-limited':
      return 'The server is receiving too many messages from this page; some were dropped.';
    default:
      return message.message || `The server reported an error (${message.code}).`;
  }
}

// A link worth keeping when the other side's signaling is gone: media is flowing right now.
export function isUp(link) {
  return link?.pc.connectionState === 'connected';
}
