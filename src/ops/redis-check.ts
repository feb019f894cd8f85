// A readiness check for a Redis the bot needs but does not store in (the job queue's): a fresh connection, AUTH
// when the URL has credentials, PING, close. A connection of its own, so it never queues behind the job layer's
// commands, and nothing is left open when the server does not answer.
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ReadinessCheck } from './ops-server.js';

/** `redis://[user:password@]host[:port][/db]` or `rediss://` (TLS). The password never appears in an error. */
export function redisPingCheck(name: string, url: string, timeoutMs = 2_000): ReadinessCheck {
  return { name, check: () => ping(new URL(url), timeoutMs) };
}

function ping(url: URL, timeoutMs: number): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 6379);
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  const commands: string[][] = [];
  if (password !== '') commands.push(user === '' ? ['AUTH', password] : ['AUTH', user, password]);
  commands.push(['PING']);
  return new Promise<void>((resolve, reject) => {
    const socket =
      url.protocol === 'rediss:' ? tlsConnect({ host, port, servername: host }) : tcpConnect({ host, port });
    let replies = '';
    const fail = (message: string) => {
      socket.destroy();
      reject(new Error(`Redis at ${host}:${port}: ${message}`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'connection failed'));
    socket.once(url.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => {
      socket.write(commands.map(encode).join(''));
    });
    socket.on('data', (chunk: Buffer) => {
      replies += chunk.toString('utf8');
      const lines = replies.split('\r\n').filter((l) => l !== '');
      const error = lines.find((l) => l.startsWith('-'));
      if (error !== undefined) {
        // the server's own words (NOAUTH, WRONGPASS): they never repeat the password
        fail(error.slice(1));
        return;
      }
      if (lines.length >= commands.length) {
        socket.end();
        if (lines.at(-1) === '+PONG') resolve();
        else fail(`unexpected answer to PING: ${lines.at(-1)?.slice(0, 40) ?? ''}`);
      }
    });
  });
}

/** One command in RESP, the protocol's array of bulk strings. */
function encode(args: readonly string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}
