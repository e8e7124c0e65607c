// Raw HTTP/1.1 over node:net, so the request target reaches the server exactly as written (fetch and
// http.get normalize "/../" and percent-escapes away, which would hide a traversal bug).
import net from 'node:net';
import tls from 'node:tls';

// Sends `GET target` and resolves with { status, headers (lower-case keys), body: Buffer, raw: string }.
export function rawGet(port, target, { host = '127.0.0.1', method = 'GET', headers = {}, secure = false,
  timeoutMs = 5000 } = {}) {
  return new Promise((resolve, reject) => {
    const lines = [`${method} ${target} HTTP/1.1`, `Host: ${host}:${port}`, 'Connection: close'];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    const request = lines.join('\r\n') + '\r\n\r\n';
    const socket = secure
      ? tls.connect({ host, port, rejectUnauthorized: false })
      : net.connect({ host, port });
    const chunks = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response to ${method} ${target} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(request));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (e) {
        reject(e);
      }
    });
  });
}

function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`malformed HTTP response: ${JSON.stringify(buf.toString('latin1').slice(0, 200))}`);
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0])?.[1]);
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = buf.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status, headers, body, text: body.toString('utf8') };
}

function dechunk(buf) {
  const parts = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

// Parses Prometheus text into Map("name{labels}" -> number).
export function parseMetrics(text) {
  const series = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+?(?:\{[^}]*\})?)\s+(\S+)/.exec(line);
    if (m) series.set(m[1], Number(m[2]));
  }
  return series;
}

// Sum of every series whose "name{labels}" matches `re`.
export function sumMetrics(series, re) {
  let total = 0;
  for (const [key, value] of series) if (re.test(key)) total += value;
  return total;
}
