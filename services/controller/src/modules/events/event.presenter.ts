import type { EventEntity } from './event.entity';

/** An event as the API shows it (with its router's name in listings). */
export function toEventView(e: EventEntity & { routerName?: string }) {
  return {
    id: e.id,
    routerId: e.routerId,
    ...(e.routerName !== undefined ? { routerName: e.routerName } : {}),
    source: e.source,
    level: e.level,
    type: e.type,
    message: e.message,
    data: e.data,
    createdAt: e.createdAt.toISOString(),
  };
}
