import { AppError } from '@netpilot/service-kit';

/** Every error of authentication (passwords, tokens, 2FA, rate limits), declared once. */
export const AuthErrors = {
  /** One message for unknown user and wrong password: the answer must not reveal which. */
  invalidCredentials: () => AppError.unauthorized('Username or password is wrong', 'INVALID_CREDENTIALS'),
  accountDisabled: () => AppError.forbidden('This account is disabled', 'ACCOUNT_DISABLED'),
  /** A disabled account's token, refused like any token that no longer authenticates. */
  accountDisabledToken: () => AppError.unauthorized('This account is disabled', 'ACCOUNT_DISABLED'),
  authenticationRequired: (message = 'Authentication required') => AppError.unauthorized(message),
  bearerMissing: () => AppError.unauthorized('Send Authorization: Bearer <accessToken>'),
  sessionEnded: () => AppError.unauthorized('This session has ended; log in again', 'SESSION_ENDED'),
  roleRequired: (roles: string[]) => AppError.forbidden(`This needs the ${roles.join(' or ')} role`, 'FORBIDDEN'),
  tokenExpired: () => AppError.unauthorized('Access token has expired; refresh it', 'TOKEN_EXPIRED'),
  invalidToken: () => AppError.unauthorized('Access token is invalid', 'INVALID_TOKEN'),
  invalidRefreshToken: () => AppError.unauthorized('Refresh token is invalid, expired or already used', 'INVALID_REFRESH_TOKEN'),
  wrongPassword: (which: 'current' | 'given') =>
    AppError.forbidden(which === 'current' ? 'The current password is wrong' : 'The password is wrong', 'INVALID_PASSWORD'),
  weakPassword: (problems: string[], path: string) =>
    new AppError('WEAK_PASSWORD', 400, problems[0], problems.map((message) => ({ path, message }))),
  mfaRequired: () => AppError.unauthorized('A two-factor code is required', 'MFA_REQUIRED'),
  mfaInvalid: () => AppError.unauthorized('The two-factor code is wrong, expired or already used', 'MFA_INVALID'),
  mfaAlreadyEnabled: (hint = '') => AppError.conflict('MFA_ALREADY_ENABLED', `Two-factor authentication is already on${hint}`),
  mfaNotSetUp: () => AppError.conflict('MFA_NOT_SET_UP', 'Call POST /auth/2fa/setup first'),
  mfaNotEnabled: () => AppError.conflict('MFA_NOT_ENABLED', 'Two-factor authentication is not on'),
  rateLimited: (msBeforeNext: number) => {
    const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    return new AppError('RATE_LIMITED', 429, `Too many failed attempts; try again in ${seconds} s`, { retryAfterSeconds: seconds }, {
      'Retry-After': String(seconds),
    });
  },
};
