import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from './logger';
import { requestContext } from './request-context';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Called once per request when its response is finished, with the time it took. */
export type RequestObserver = (req: Request, res: Response, durationMs: number) => void;

/**
 * Takes the caller's x-request-id (or makes one), echoes it, runs the rest of the request in
 * its context, and logs one line per request. `observe` (HTTP metrics) shares the one
 * 'finish' listener, so a request pays for one layer and one listener, not two.
 */
export function requestIdMiddleware(logger: Logger, observe?: RequestObserver): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    // Asked per request, so that a level changed at run time applies; when `http` is off
    // (the production default `info`), no line is built at all: winston would run its whole
    // format chain before its transport drops the line.
    const log = logger.isLevelEnabled('http');
    if (log || observe) {
      const started = performance.now();
      res.on('finish', () => {
        const ms = performance.now() - started;
        if (log) logger.http(`${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode} ${ms.toFixed(1)}ms`, { requestId });
        observe?.(req, res, ms);
      });
    }
    requestContext.run({ requestId }, next);
  };
}
