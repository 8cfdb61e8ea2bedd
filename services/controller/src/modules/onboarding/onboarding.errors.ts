import { AppError } from '@netpilot/service-kit';

/** Every error of router onboarding and router-token calls, declared once. */
export const OnboardingErrors = {
  provisionKeyInvalid: () => AppError.unauthorized('The provision key is invalid, expired or already used', 'PROVISION_KEY_INVALID'),
  routerTokenMissing: () => AppError.unauthorized('Send Authorization: Bearer <routerToken>', 'ROUTER_TOKEN_INVALID'),
  routerTokenInvalid: () => AppError.unauthorized('A valid router token is required', 'ROUTER_TOKEN_INVALID'),
};
