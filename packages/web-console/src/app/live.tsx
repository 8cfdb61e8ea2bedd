/** Live updates for the pages: one stream per signed-in tab, handlers by event kind. */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { connectStream, type LiveEvent } from '../api/stream';

type Handler = (event: LiveEvent) => void;

interface Live {
  connected: boolean;
  subscribe(handler: Handler): () => void;
}

const LiveContext = createContext<Live>({ connected: false, subscribe: () => () => undefined });

export function LiveProvider({ children, onTerminated }: { children: ReactNode; onTerminated(): void }) {
  const handlers = useRef(new Set<Handler>());
  const [connected, setConnected] = useState(false);
  const terminated = useRef(onTerminated);
  terminated.current = onTerminated;
  useEffect(
    () =>
      connectStream({
        onEvent: (event) => {
          if (event.kind === 'session.terminated') {
            terminated.current();
            return;
          }
          for (const h of handlers.current) h(event);
        },
        onStatus: setConnected,
      }),
    [],
  );
  const value = useRef<Live>({ connected, subscribe: (h) => (handlers.current.add(h), () => handlers.current.delete(h)) });
  value.current = { ...value.current, connected };
  return <LiveContext.Provider value={value.current}>{children}</LiveContext.Provider>;
}

export function useLiveStatus(): boolean {
  return useContext(LiveContext).connected;
}

/**
 * Calls `refetch` when an event matching `filter` arrives, and after a reconnect (`resync`).
 * Several events in a burst cause one refetch.
 */
export function useLive(filter: (event: LiveEvent) => boolean, refetch: () => void): void {
  const live = useContext(LiveContext);
  const latest = useRef({ filter, refetch });
  latest.current = { filter, refetch };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = live.subscribe((event) => {
      if (event.kind !== 'resync' && !latest.current.filter(event)) return;
      clearTimeout(timer);
      timer = setTimeout(() => latest.current.refetch(), 50);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [live]);
}

/**
 * Fetches again every `ms` while the page is open: "last seen" moves with every heartbeat,
 * which is not worth a live notice per router per minute.
 */
export function useEvery(ms: number, refetch: () => void): void {
  const latest = useRef(refetch);
  latest.current = refetch;
  useEffect(() => {
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
  }, [ms]);
}
