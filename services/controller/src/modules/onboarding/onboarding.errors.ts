import { AppError } from '@netpilot/service-kit';

/** Every error of router onboarding and router-token calls, declared once. */
export const OnboardingErrors = {
  provisionKeyInvalid: () => AppError.unauthorized('The provision key is invalid, expired or already used', 'PROVISION_KEY_INVALID'),
  routerTokenMissing: () => AppError.unauthorized('Send Authorization: Bearer <routerToken>', 'ROUTER_TOKEN_INVALID'),
  routerTokenInvalid: () => AppError.unauthorized('A valid router token is required', 'ROUTER_TOKEN_INVALID'),
  notRegistered: () => AppError.conflict('ROUTER_NOT_REGISTERED', 'The router has no token yet: issue a provision key and let the router register first'),
  notTunneled: () =>
    AppError.conflict('ROUTER_NOT_TUNNELED', 'This router is not reached through a reverse tunnel, so it cannot report a tunnel port; its owner sets the tunnel up in the router settings'),
};
