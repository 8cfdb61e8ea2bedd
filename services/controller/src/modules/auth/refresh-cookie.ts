import type { Request, Response } from 'express';

/**
 * The web console's refresh token lives in a cookie that JavaScript cannot read (HttpOnly),
 * that the browser sends only to the auth routes (Path) and never on a cross-site request
 * (SameSite=Strict), and only over TLS when the console is served over TLS (Secure). The
 * cookie is read only when the request also carries `X-NetPilot-Client: console`: a form on
 * another site cannot set that header, and without CORS no other origin's script may.
 */
export const CONSOLE_CLIENT_HEADER = 'x-netpilot-client';
export const REFRESH_COOKIE = 'netpilot_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

/** True when the caller is the web console (it wants the refresh token as a cookie). */
export function isConsoleClient(req: Request): boolean {
  return req.get(CONSOLE_CLIENT_HEADER) === 'console';
}

export function setRefreshCookie(req: Request, res: Response, token: string, maxAgeSeconds: number): void {
  res.cookie(REFRESH_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: REFRESH_COOKIE_PATH,
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearRefreshCookie(req: Request, res: Response): void {
  res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: REFRESH_COOKIE_PATH });
}

/** The refresh cookie's value, if the request carries one. */
export function readRefreshCookie(req: Request): string | null {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== REFRESH_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return value ? decodeURIComponent(value) : null;
    } catch {
      return null;
    }
  }
  return null;
}
