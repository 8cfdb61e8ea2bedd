import express, { Router, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { DataSource } from 'typeorm';
import type { ExecutorClient } from '@netpilot/executor-client';
import type { ControllerConfig } from './config';
import { errorHandler, notFoundHandler } from './errors';
import { requireAuth } from './http/auth';
import { requestIdMiddleware } from './http/request-id';
import { PasswordHasher } from './lib/passwords';
import { SecretBox } from './lib/secret-box';
import { transactor } from './lib/transactions';
import type { Logger } from './logger';
import { AccessTokens } from './modules/auth/access-tokens';
import { AttemptLimiter, loginLimitRules } from './modules/auth/attempt-limiter';
import { authRoutes } from './modules/auth/auth.routes';
import { AuthService } from './modules/auth/auth.service';
import { RecoveryCodeHasher } from './modules/auth/recovery-codes';
import { RecoveryCodesRepository } from './modules/auth/recovery-codes.repository';
import { TwoFactorService } from './modules/auth/two-factor.service';
import { auditRoutes } from './modules/audit/audit.routes';
import { AuditRepository } from './modules/audit/audit.repository';
import { AuditService } from './modules/audit/audit.service';
import { healthRoutes } from './modules/health/health.routes';
import { ExecutorSessions } from './modules/sessions/executor-sessions';
import { SessionCache } from './modules/sessions/session-cache';
import { sessionsRoutes } from './modules/sessions/sessions.routes';
import { SessionsRepository } from './modules/sessions/sessions.repository';
import { SessionsService } from './modules/sessions/sessions.service';
import { usersRoutes } from './modules/users/users.routes';
import { UsersRepository } from './modules/users/users.repository';
import { UsersService } from './modules/users/users.service';

export interface ControllerDeps {
  config: Readonly<ControllerConfig>;
  logger: Logger;
  dataSource: DataSource;
  executor: ExecutorClient;
}

/** The controller's services, wired once per app (main.ts, the CLI and tests share this). */
export interface ControllerServices {
  secretBox: SecretBox;
  audit: AuditService;
  users: UsersService;
  usersRepo: UsersRepository;
  sessions: SessionsService;
  auth: AuthService;
  twoFactor: TwoFactorService;
  limiter: AttemptLimiter;
  accessTokens: AccessTokens;
  /** `requireAuth` bound to this app's token key and session cache; pair with `requireRole`. */
  requireAuth: RequestHandler;
}

/** Plain objects wired by hand: no container, no module-level state (caches and limiters are per call). */
export function createServices(deps: ControllerDeps): ControllerServices {
  const { config, logger, dataSource } = deps;
  const transaction = transactor(dataSource);
  const secretBox = new SecretBox(config.secretKey);
  const hasher = new PasswordHasher(config.bcryptCost);
  const audit = new AuditService(new AuditRepository(dataSource), logger);
  const usersRepo = new UsersRepository(dataSource);
  const limiter = new AttemptLimiter(dataSource, loginLimitRules(config.loginLimits));
  const accessTokens = new AccessTokens(config.jwtSecret, config.accessTokenTtlSeconds);
  const sessions = new SessionsService({
    repo: new SessionsRepository(dataSource),
    cache: new SessionCache(config.sessionCacheTtlMs),
    executorSessions: new ExecutorSessions(deps.executor, logger),
    audit,
    transaction,
    sessionTtlSeconds: config.refreshTokenTtlSeconds,
  });
  const twoFactor = new TwoFactorService({
    users: usersRepo,
    recoveryCodes: new RecoveryCodesRepository(dataSource),
    recoveryHasher: new RecoveryCodeHasher(config.secretKey),
    secretBox,
    hasher,
    limiter,
    audit,
    transaction,
  });
  const users = new UsersService({
    repo: usersRepo,
    hasher,
    audit,
    sessions,
    transaction,
    resetTwoFactor: (userId, tx) => twoFactor.reset(userId, tx),
    allowRegistration: config.allowRegistration,
  });
  const auth = new AuthService({ users: usersRepo, hasher, limiter, twoFactor, sessions, accessTokens, audit, transaction, logger });
  return {
    secretBox,
    audit,
    users,
    usersRepo,
    sessions,
    auth,
    twoFactor,
    limiter,
    accessTokens,
    requireAuth: requireAuth({
      verifyAccessToken: (token) => accessTokens.verify(token),
      activeSession: (sessionId) => sessions.authenticate(sessionId),
    }),
  };
}

/** The controller's HTTP app: everything it needs is passed in; no listen, no global state. */
export function createApp(deps: ControllerDeps, services: ControllerServices = createServices(deps)): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.use(helmet());
  app.use(requestIdMiddleware(deps.logger));
  app.use(express.json({ limit: '100kb' }));

  app.use(healthRoutes(deps));

  const { requireAuth: auth } = services;
  const v1 = Router();
  v1.use(
    '/auth',
    authRoutes({
      auth: services.auth,
      users: services.users,
      twoFactor: services.twoFactor,
      sessions: services.sessions,
      requireAuth: auth,
    }),
  );
  v1.use('/users', usersRoutes({ users: services.users, requireAuth: auth }));
  v1.use('/sessions', sessionsRoutes({ sessions: services.sessions, requireAuth: auth }));
  v1.use('/audit', auditRoutes({ audit: services.audit, requireAuth: auth }));
  app.use('/api/v1', v1);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
