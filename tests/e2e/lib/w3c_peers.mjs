// Independent WebRTC stacks from npm as the far end of a data channel: werift (TypeScript) and node-datachannel
// (libdatachannel), both through their W3C-shaped RTCPeerConnection. Loopback only: werift needs to be told about
// 127.0.0.1, node-datachannel to bind there (TESTING.md).
export const STACKS = ['werift', 'node-datachannel'];

export async function newPeerConnection(stack) {
  if (stack === 'werift') {
    const { RTCPeerConnection } = await import('werift');
    return new RTCPeerConnection({ iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false });
  }
  const { RTCPeerConnection } = await import('node-datachannel/polyfill');
  return new RTCPeerConnection({ bindAddress: '127.0.0.1' });
}

export function gathered(pc, ms = 5000) {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const timer = setTimeout(resolve, ms);
    pc.onicegatheringstatechange = () => {
      if (pc.iceGatheringState === 'complete') {
        clearTimeout(timer);
        resolve();
      }
    };
  });
}

export function opened(channel, ms = 20000) {
  return new Promise((resolve, reject) => {
    if (channel.readyState === 'open') return resolve(channel);
    const timer = setTimeout(() => reject(new Error(`channel "${channel.label}" did not open in ${ms} ms`)), ms);
    channel.onopen = () => {
      clearTimeout(timer);
      resolve(channel);
    };
  });
}

export function incomingChannel(pc, ms = 20000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no data channel arrived in ${ms} ms`)), ms);
    pc.ondatachannel = ({ channel }) => {
      clearTimeout(timer);
      resolve(channel);
    };
  });
}

// Collects text messages; `next()` resolves with the next one.
export function inbox(channel) {
  const waiting = [];
  const queued = [];
  channel.onmessage = ({ data }) => {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString();
    if (waiting.length) waiting.shift()(text);
    else queued.push(text);
  };
  return {
    next(ms = 10000) {
      if (queued.length) return Promise.resolve(queued.shift());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message in ${ms} ms`)), ms);
        waiting.push((m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    },
  };
}
