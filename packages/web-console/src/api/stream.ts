/**
 * The live stream: GET /api/v1/stream read with fetch (EventSource cannot send the
 * Authorization header). Reconnects with backoff; after a reconnect it announces `resync`,
 * and pages fetch what they show again, so nothing missed during the drop stays missed.
 */
import { currentSession, refreshSession } from './client';
import { parseSse } from './sse';

export interface LiveEvent {
  kind: string;
  routerId?: string;
  ids?: string[];
}

export interface StreamHandlers {
  onEvent(event: LiveEvent): void;
  onStatus(live: boolean): void;
}

const MIN_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/** Starts streaming for the signed-in user; the returned function stops it. */
export function connectStream(handlers: StreamHandlers): () => void {
  let stopped = false;
  let abort: AbortController | null = null;
  let connectedBefore = false;

  const run = async () => {
    let delay = MIN_DELAY_MS;
    while (!stopped) {
      const token = currentSession()?.accessToken;
      if (!token) return;
      abort = new AbortController();
      try {
        const res = await fetch('/api/v1/stream', { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, signal: abort.signal });
        if (res.status === 401) {
          if (!(await refreshSession())) return;
          continue;
        }
        if (res.ok && res.body) {
          await read(res.body, (event) => {
            if (event.kind === 'ready') {
              delay = MIN_DELAY_MS;
              handlers.onStatus(true);
              // Whatever happened while we were away: fetch it again.
              if (connectedBefore) handlers.onEvent({ kind: 'resync' });
              connectedBefore = true;
              return;
            }
            handlers.onEvent(event);
          });
        }
      } catch {
        /* dropped: retry below */
      }
      if (stopped) return;
      handlers.onStatus(false);
      await new Promise((r) => setTimeout(r, delay + Math.random() * 250));
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }
  };
  void run();
  return () => {
    stopped = true;
    abort?.abort();
  };
}

/** Reads server-sent events until the stream ends. */
async function read(body: ReadableStream<Uint8Array>, emit: (e: LiveEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const { messages, rest } = parseSse(buffer + decoder.decode(value, { stream: true }));
    buffer = rest;
    for (const { event, data } of messages) {
      let parsed: { routerId?: string; ids?: string[] } = {};
      try {
        parsed = data ? (JSON.parse(data) as typeof parsed) : {};
      } catch {
        /* keep the kind */
      }
      emit({ kind: event, routerId: parsed.routerId, ids: parsed.ids });
    }
  }
}
