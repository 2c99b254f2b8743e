/** pino's options for the service's logger, and what a level writes. */
import type pino from 'pino';
import { maskUrl } from './redact.js';

/**
 * pino options: the level, no pid/hostname on every line (the process manager knows them), and serializers
 * that mask URLs should a request ever be logged whole.
 */
export function loggerOptions(level: string) {
  return {
    level,
    base: null,
    serializers: {
      req(req: { method: string; url: string; ip?: string }) {
        return { method: req.method, url: maskUrl(req.url), ip: req.ip };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
}

/** Whether `log` writes lines of `level`: work done only for a log line is skipped when it would be dropped. */
/** What the service writes its lines through: Fastify's logger or a bare pino one. */
export type ServiceLogger = Pick<pino.BaseLogger, 'level' | 'info' | 'warn'>;

export function logsAt(log: ServiceLogger, level: pino.Level): boolean {
  return (log as pino.Logger).isLevelEnabled(level);
}
