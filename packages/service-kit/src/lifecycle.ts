import type { Server } from 'node:http';
import type { Express } from 'express';
import { ConfigError } from './config';
import type { Logger } from './logger';

/** A started service: its logger, and how to stop it (drain requests, stop background work, close pools). */
export interface RunningService {
  logger: Logger;
  stop(): Promise<void>;
}

export interface RunServiceOptions {
  /** How long a stop may take before the process exits anyway (code 1). */
  stopDeadlineMs: number;
}

/**
 * The process lifecycle of a service, in one place: start it; a ConfigError exits 2 with the
 * message naming the bad variable, any other start failure exits 1. SIGINT/SIGTERM stop it
 * (exit 0) within a deadline; an uncaught exception is logged and stops it (exit 1); an
 * unhandled rejection is logged.
 */
export function runService(name: string, start: () => Promise<RunningService>, opts: RunServiceOptions): void {
  let service: RunningService | null = null;
  let stopping = false;
  const stop = (why: string, code: number) => {
    if (stopping || !service) return;
    stopping = true;
    const running = service;
    running.logger.info(`${why}: stopping ${name}`);
    setTimeout(() => {
      running.logger.error(`${name} did not stop within ${opts.stopDeadlineMs} ms; exiting`);
      process.exit(1);
    }, opts.stopDeadlineMs).unref();
    running.stop().then(
      () => process.exit(code),
      (err: unknown) => {
        running.logger.error('stop failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('uncaughtException', (err) => {
    if (!service) {
      process.stderr.write(`${name}: ${err.stack ?? err.message}\n`);
      process.exit(1);
    }
    service.logger.error('uncaught exception', { err });
    stop('uncaught exception', 1);
  });
  process.on('unhandledRejection', (reason) => {
    if (service) service.logger.error('unhandled rejection', { err: reason });
    else process.stderr.write(`${name}: unhandled rejection: ${String(reason)}\n`);
  });
  start().then(
    (started) => {
      service = started;
      process.on('SIGINT', () => stop('SIGINT', 0));
      process.on('SIGTERM', () => stop('SIGTERM', 0));
    },
    (err: unknown) => {
      if (err instanceof ConfigError) {
        process.stderr.write(`${name}: ${err.message}\n`);
        process.exit(2);
      }
      process.stderr.write(`${name}: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}

/** Starts `app` listening; resolves with the server once it is bound. */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once('error', reject);
  });
}

/**
 * Stops accepting connections and resolves when the in-flight requests are answered; idle
 * keep-alive sockets close at once, busy ones are cut after `graceMs`.
 */
export function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}
