import { AppError } from '@netpilot/service-kit';

/** Every error the events module answers with, declared once. */
export const EventErrors = {
  tooMany: (perMinute: number) =>
    new AppError('EVENTS_RATE_LIMITED', 429, `A router may post at most ${perMinute} events a minute (ROUTER_EVENTS_PER_MINUTE); send fewer or wait`, undefined, {
      'Retry-After': '60',
    }),
};
