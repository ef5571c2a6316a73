import * as net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The connection was reset before a complete response arrived. */
  reset: boolean;
}

/**
 * Sends bytes exactly as given on a fresh TCP connection (no client library to fix them up) and
 * reads one response: through Content-Length when there is one, else until the server closes.
 * `body` is written after `head`, in chunks, as a client uploading a large body would; like most
 * clients, this one reads the response only once it has sent the whole body.
 */
export function rawRequest(port: number, head: string | Buffer, body?: Buffer, host = '127.0.0.1'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (reset: boolean) => {
      if (settled) return;
      const parsed = parse(Buffer.concat(chunks), reset);
      if (!parsed && !reset) return;
      settled = true;
      socket.destroy();
      if (parsed) resolve({ ...parsed, reset: false });
      // a close after a partial response
      else if (chunks.length === 0) resolve({ status: 0, headers: {}, body: '', reset: true });
      else reject(new Error(`incomplete response: ${Buffer.concat(chunks).toString('latin1').slice(0, 300)}`));
    };
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.setTimeout(15_000, () => finish(true));
    socket.on('connect', async () => {
      socket.write(head);
      if (!body) return;
      socket.pause();
      for (let offset = 0; offset < body.length && !socket.destroyed; offset += 64 * 1024) {
        const ok = socket.write(body.subarray(offset, offset + 64 * 1024));
        if (!ok) await new Promise((r) => { socket.once('drain', r); socket.once('close', r); });
      }
      socket.resume();
    });
  });
}

function parse(data: Buffer, closed: boolean): Omit<RawResponse, 'reset'> | null {
  const end = data.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const lines = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const rest = data.subarray(end + 4);
  const length = headers['content-length'] === undefined ? null : Number(headers['content-length']);
  if (length === null) return closed ? { status, headers, body: rest.toString('utf8') } : null;
  if (rest.length < length) return null;
  return { status, headers, body: rest.subarray(0, length).toString('utf8') };
}
