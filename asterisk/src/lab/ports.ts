import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * Free loopback ports for the test PBX: SIP listens on UDP, HTTP/AMI on TCP, so a port is
 * handed out only when both protocols can bind it; ports given out in this process are never
 * given again (two servers started back to back must not collide).
 */

const given = new Set<number>();

const tcpFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

const udpFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });

/** A port in 20000–29999 free on 127.0.0.1 for both TCP and UDP (below the RTP range 30000+). */
export async function freeLabPort(): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    if (given.has(port)) continue;
    if ((await tcpFree(port)) && (await udpFree(port))) {
      given.add(port);
      return port;
    }
  }
  throw new Error('no free loopback port in 20000-29999');
}
