/** Connections and request ids, shared by the Fastify app and the fast path on the one node:http server. */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { clientOf } from '../limits/login-throttle.js';

/** Request ids as Fastify makes them (`req-1`, `req-2` …), one sequence for both paths of a request. */
export function requestIds(): () => string {
  let seq = 0;
  return () => {
    seq = (seq + 1) % Number.MAX_SAFE_INTEGER;
    return `req-${seq.toString(36)}`;
  };
}

/**
 * At most `max` open connections per client (address, IPv6 /64): without it one client could hold every
 * connection the server allows (with half-sent requests, reopened after each 408) and keep everyone else,
 * /healthz included, out. A client at its share that opens another loses its oldest connection with no
 * request in progress (idle, or still sending its headers), so a flood churns only its own connections and
 * a real request from the same address still gets in; when all of them are busy the new one is closed.
 */
export function limitConnectionsPerClient(server: Server, max: number, onDrop: () => void): void {
  const open = new Map<string, Set<Socket>>();
  server.on('connection', (socket: Socket) => {
    const client = clientOf(socket.remoteAddress);
    let mine = open.get(client);
    if (!mine) {
      mine = new Set();
      open.set(client, mine);
    }
    if (mine.size >= max) {
      let idle: Socket | undefined;
      // Node keeps the response being written on the socket while a request is in progress
      for (const s of mine) {
        if (!(s as Socket & { _httpMessage?: unknown })._httpMessage) {
          idle = s;
          break;
        }
      }
      onDrop();
      if (!idle) {
        socket.destroy();
        return;
      }
      mine.delete(idle);
      idle.destroy();
    }
    mine.add(socket);
    const set = mine;
    socket.once('close', () => {
      set.delete(socket);
      if (set.size === 0 && open.get(client) === set) open.delete(client);
    });
  });
}
