import { AppError } from '@netpilot/service-kit';

/** Every error the routers module answers with, declared once. */
export const RouterErrors = {
  /** Also the answer for another user's router: its existence is not revealed. */
  notFound: () => AppError.notFound('ROUTER_NOT_FOUND', 'Router not found'),
  ownerRequired: () => AppError.forbidden('Only the router owner or an admin can do this', 'ROUTER_OWNER_REQUIRED'),
  transferNeedsAdmin: () => AppError.forbidden('Only an admin can give a router a new owner', 'ADMIN_REQUIRED'),
  alreadyOwner: () => AppError.conflict('ALREADY_OWNER', 'That user owns the router'),
  userNotFound: () => AppError.notFound('USER_NOT_FOUND', 'User not found'),
  assignmentNotFound: () => AppError.notFound('ASSIGNMENT_NOT_FOUND', 'That user is not assigned to this router'),
  jumpHostAndTunnel: () => AppError.badRequest('A router is reached either through a jump host or a reverse tunnel, not both'),
  tunnelPortOutOfRange: (min: number, max: number) => AppError.badRequest(`tunnelPort must be between ${min} and ${max} (ROUTER_TUNNEL_PORTS)`),
  hostRestricted: (host: string, kind: string) =>
    new AppError(
      'ROUTER_HOST_NOT_ALLOWED',
      400,
      `${host} is (or resolves to) a ${kind} address, which a router may not have; an operator can allow it by name (ROUTER_ALLOWED_SPECIAL_ADDRESSES or ROUTER_ALLOWED_ENDPOINTS)`,
    ),
  hostNotAllowed: (host: string) =>
    new AppError('ROUTER_HOST_NOT_ALLOWED', 400, `${host} is outside the networks routers may be in (ROUTER_ALLOWED_CIDRS)`),
};
