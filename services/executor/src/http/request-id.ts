import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { requestContext, type Logger } from '../logger';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's x-request-id (or makes one), echoes it, and logs one line per request. */
export function requestIdMiddleware(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    // winston runs its whole format chain (redaction included) before a transport drops a
    // line below its level, so when `http` is off (the default `info`) no line is built.
    if (logger.isLevelEnabled('http')) {
      const started = performance.now();
      res.on('finish', () => {
        const ms = performance.now() - started;
        logger.http(`${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode} ${ms.toFixed(1)}ms`, { requestId });
      });
    }
    requestContext.run({ requestId }, next);
  };
}
