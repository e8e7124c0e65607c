// Camera and microphone: opening them with the chosen devices and constraints, listing devices, and turning the
// browser's errors into words a person can act on.

export const RESOLUTIONS = {
  '320x240': { width: 320, height: 240 },
  '640x480': { width: 640, height: 480 },
  '1280x720': { width: 1280, height: 720 },
};
export const FRAME_RATES = [15, 30];

// options: { audio: bool, video: bool, audioId, videoId, resolution: '640x480', fps: 30 }
export function constraintsFor({ audio = true, video = true, audioId, videoId, resolution, fps } = {}) {
  const size = RESOLUTIONS[resolution];
  const videoConstraints = video && {
    ...(videoId ? { deviceId: { exact: videoId } } : {}),
    ...(size ? { width: { ideal: size.width }, height: { ideal: size.height } } : {}),
    ...(fps ? { frameRate: { ideal: fps } } : {}),
  };
  const audioConstraints = audio && (audioId ? { deviceId: { exact: audioId } } : true);
  return {
    audio: audioConstraints,
    video: videoConstraints && Object.keys(videoConstraints).length ? videoConstraints : Boolean(video),
  };
}

// Opens camera and microphone. When the camera cannot be had (none, busy) but a microphone can, goes on with
// audio only and says so in `warning`. Throws a MediaError with words for the page otherwise.
export async function openMedia(options = {}) {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new MediaError('This page can use the camera only over https:// or on localhost.');
  }
  try {
    return { stream: await navigator.mediaDevices.getUserMedia(constraintsFor(options)), warning: null };
  } catch (err) {
    const recoverable = ['NotFoundError', 'NotReadableError', 'OverconstrainedError'].includes(err.name);
    if (options.video !== false && options.audio !== false && recoverable) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia(constraintsFor({ ...options, video: false }));
        return { stream, warning: `${describeMediaError(err, 'camera')} Continuing with audio only.` };
      } catch {
        // fall through to the first error, which names the real problem
      }
    }
    throw new MediaError(describeMediaError(err, 'camera or microphone'), err);
  }
}

export class MediaError extends Error {
  constructor(message, cause) {
    super(message);
    this.cause = cause;
  }
}

export function describeMediaError(err, what = 'camera or microphone') {
  switch (err?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `Permission to use the ${what} was denied. Allow it in the browser's site settings and try again.`;
    case 'NotFoundError':
      return `No ${what} was found.`;
    case 'NotReadableError':
    case 'AbortError':
      return `The ${what} could not be started — another program may be using it.`;
    case 'OverconstrainedError':
      return `The ${what} cannot provide the chosen resolution or frame rate.`;
    default:
      return `The ${what} could not be opened${err?.message ? `: ${err.message}` : '.'}`;
  }
}

export async function listDevices() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const label = (d, i, kind) => d.label || `${kind} ${i + 1}`;
  const pick = (kind, word) => devices.filter((d) => d.kind === kind)
    .map((d, i) => ({ id: d.deviceId, label: label(d, i, word) }));
  return { cameras: pick('videoinput', 'Camera'), microphones: pick('audioinput', 'Microphone') };
}

export function stopStream(stream) {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

// Fills a <select> with devices, keeping the current choice when it still exists.
export function fillSelect(select, devices, current) {
  select.replaceChildren(...devices.map((d) => new Option(d.label, d.id, false, d.id === current)));
  select.disabled = devices.length === 0;
}
