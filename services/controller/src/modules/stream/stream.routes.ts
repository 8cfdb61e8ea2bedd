import type { ApiRegistry } from '../../http/api';
import { authOf } from '../../http/auth';
import type { StreamService, StreamSubscriber } from './stream.service';

export interface StreamRoutesDeps {
  stream: StreamService;
  /** Whether a session is still active (the same cached check as requireAuth). */
  sessionActive(sessionId: string): Promise<boolean>;
  heartbeatMs: number;
  /** A stream is authorised by one access token: it ends when that token would have expired. */
  maxLifetimeMs: number;
}

/**
 * GET /stream: server-sent events for the signed-in user. The browser sends its access token
 * in the Authorization header (fetch with a streaming body, not EventSource, which cannot).
 */
export function registerStreamRoutes(api: ApiRegistry, deps: StreamRoutesDeps): void {
  api.route(
    {
      method: 'get',
      path: '/stream',
      summary:
        'Live updates (text/event-stream) for what you may see: router.status, command.finished, block.changed, session.revoked (admins), ' +
        'session.terminated (yours; the stream then ends), resync (fetch everything again). Each event carries {routerId, ids}; fetch details over the API. ' +
        'A comment line every ~15 s keeps the connection alive.',
      tags: ['Live updates'],
      auth: 'user',
      responses: { 200: { description: 'An endless text/event-stream' } },
    },
    (req, res) => {
      const auth = authOf(req);
      res.status(200);
      res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.setHeader('X-Accel-Buffering', 'no');
      res.flushHeaders();
      res.socket?.setNoDelay(true);

      let open = true;
      const write = (text: string) => {
        if (open) res.write(text);
      };
      const sub: StreamSubscriber = {
        userId: auth.user.id,
        isAdmin: auth.user.role === 'admin',
        sessionId: auth.session.id,
        send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        close: () => end(),
      };
      const { unsubscribe, listening } = deps.stream.subscribe(sub);
      const heartbeat = setInterval(() => {
        write(': heartbeat\n\n');
        // A revocation whose notice was missed still ends the stream within one heartbeat.
        void deps.sessionActive(auth.session.id).then(
          (active) => {
            if (!active && open) {
              sub.send('session.terminated', {});
              end();
            }
          },
          () => undefined,
        );
      }, deps.heartbeatMs);
      const expiry = setTimeout(() => end(), deps.maxLifetimeMs);
      function end() {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        clearTimeout(expiry);
        unsubscribe();
        res.end();
      }
      // The response's close (not the request's, which may come once the request is read) is the client going away.
      res.on('close', end);
      // The browser retries after this many ms if the connection drops.
      write('retry: 2000\n\n');
      void listening.then(() => sub.send('ready', { sessionId: auth.session.id }));
    },
  );
}
