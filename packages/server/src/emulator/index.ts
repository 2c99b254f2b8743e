/**
 * Emulator mode (`daily-tokens serve --emulator`, `DAILY_TOKENS_EMULATOR=1`, `startDailyEmulator`): the
 * controls a test needs and a production service never has — a virtual clock, fault injection and a
 * request journal. `emulatorListener` puts the last two in front of the service's request listener; it is
 * installed only in emulator mode, so a production service does not pay for it at all.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EMULATOR_HEADER, EMULATOR_HEADER_VALUE } from '../version.js';
import type { VirtualClock } from './clock.js';
import { type AppliedFault, FaultInjector, isControlPath } from './faults.js';
import { RequestJournal } from './journal.js';

export type { VirtualClock } from './clock.js';
export type { Fault, FaultRule } from './faults.js';
export type { JournalEntry, JournalQuery } from './journal.js';

/** The emulator-only controls of a running service. */
export interface EmulatorControls {
  clock: VirtualClock;
  faults: FaultInjector;
  journal: RequestJournal;
}

/** The controls for a service in emulator mode; `secrets` are masked wherever they appear in the journal. */
export function emulatorControls(clock: VirtualClock, secrets: readonly string[]): EmulatorControls {
  return { clock, faults: new FaultInjector(), journal: new RequestJournal(clock.now, secrets) };
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Answers a request with the fault's status and body, once the request's body has been read. */
function answer(req: IncomingMessage, res: ServerResponse, fault: AppliedFault): void {
  const payload = fault.payload ?? '';
  const send = () => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(fault.status as number, {
      'content-type': 'application/json; charset=utf-8',
      [EMULATOR_HEADER]: EMULATOR_HEADER_VALUE,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...fault.headers,
      'content-length': String(Buffer.byteLength(payload)),
    });
    res.end(payload);
  };
  // replying before the body is read would reset a client still sending it, which then sees no reply
  req.once('end', send);
  req.on('error', () => {});
  req.resume();
}

/**
 * Wraps the service's request listener: records each request in the journal and applies the first fault
 * rule that matches it (delay, answer with a status, or drop the connection); other requests go to `next`
 * untouched.
 */
export function emulatorListener(controls: EmulatorControls, next: Listener): Listener {
  const { faults, journal } = controls;
  return function emulatorRequestListener(req, res) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (isControlPath(path)) {
      next(req, res);
      return;
    }
    const fault = faults.take(req.method ?? 'GET', path);
    journal.record(req, res, path, q === -1 ? '' : url.slice(q + 1), fault);
    if (!fault) {
      next(req, res);
      return;
    }
    const act = () => {
      // the client may have given up during the delay
      if (req.socket.destroyed) return;
      if (fault.drop) req.socket.destroy();
      else if (fault.status !== undefined) answer(req, res, fault);
      else next(req, res);
    };
    if (fault.latencyMs) setTimeout(act, fault.latencyMs);
    else act();
  };
}
