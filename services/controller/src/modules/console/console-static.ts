import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/**
 * The console's pages may load only their own scripts, styles and API (no inline script, no
 * other origin); images may be data: URLs for the 2FA QR code.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths the console never answers for, even when nothing else did (JSON 404s stay JSON). */
const NOT_CONSOLE = /^\/(api|healthz|readyz|metrics)(\/|$)/;

/**
 * Serves the built console from `dir`: hashed assets cached for good, index.html for every
 * other GET that asks for a page (client-side routes such as /routers/…), never for the API.
 */
export function consoleStatic(dir: string): Router {
  const router = Router();
  const index = path.join(dir, 'index.html');
  router.use((req, res, next) => {
    if (NOT_CONSOLE.test(req.path)) return next('router');
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    next();
  });
  router.use(
    express.static(dir, {
      index: false,
      setHeaders: (res, file) => {
        res.setHeader('Cache-Control', file.startsWith(path.join(dir, 'assets') + path.sep) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  router.use((req, res, next) => {
    // A missing asset (/assets/old.js) is a 404, not the page.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || path.extname(req.path) || !req.accepts('html')) return next();
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send('The web console is not built. `npm start` builds it; or run: npm run build -w @netpilot/web-console\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
