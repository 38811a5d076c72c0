import net from 'node:net';

/**
 * Status of a POST whose body is too large, read the way a server that refuses early is read.
 *
 * Sends the request line, the headers (with the body's real Content-Length) and only the first
 * 64 KiB of the body, then reads the status line. A server with a body limit must refuse on the
 * declared length alone. A client that keeps writing the whole body races the server closing the
 * connection (EPIPE before the 413 is read): that is what made whole-body `fetch` calls flaky.
 */
export function postOversized(baseUrl: string, path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, baseUrl);
    const socket = net.connect(Number(url.port), url.hostname);
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(received);
      if (match) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`connection closed without a status line: ${JSON.stringify(received.slice(0, 200))}`)));
    const head = Object.entries({ ...headers, 'content-length': String(Buffer.byteLength(body)) })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n${head}\r\n`);
    socket.write(body.slice(0, 64 * 1024));
  });
}
