import { AppError } from '@netpilot/service-kit';

/** Every error the users module answers with, declared once. */
export const UserErrors = {
  notFound: (username?: string) => AppError.notFound('USER_NOT_FOUND', username ? `No user named ${username}` : 'No such user'),
  usernameTaken: () => AppError.conflict('USERNAME_TAKEN', 'That username is taken (usernames ignore case)'),
  weakPassword: (problems: string[]) =>
    new AppError('WEAK_PASSWORD', 400, problems[0], problems.map((message) => ({ path: 'password', message }))),
  cannotChangeOwnRole: () => AppError.forbidden('You cannot change your own role', 'CANNOT_CHANGE_OWN_ROLE'),
  selfLockout: (what: 'disable' | 'delete') => AppError.conflict('SELF_LOCKOUT', `You cannot ${what} your own account`),
  lastAdmin: () => AppError.conflict('LAST_ADMIN', 'This is the last enabled admin; make another admin first'),
  ownsSharedRouters: (username: string, routers: { id: string; name: string }[]) =>
    AppError.conflict(
      'USER_OWNS_SHARED_ROUTERS',
      `${username} owns router${routers.length > 1 ? 's' : ''} other users are assigned to: ${routers.map((r) => `"${r.name}"`).join(', ')}. ` +
        'Give each a new owner first (PATCH /routers/:id {"ownerId": ...}), or remove its assignments.',
      { routers },
    ),
  registrationClosed: () => AppError.forbidden('Self-registration is closed; ask an admin for an account', 'REGISTRATION_CLOSED'),
};
