import express, { type Express, type RequestHandler } from 'express';
import swaggerUi from 'swagger-ui-express';
import helmet from 'helmet';
import type { DataSource } from 'typeorm';
import type { ExecutorClient } from '@netpilot/executor-client';
import type { ControllerConfig } from './config';
import { errorHandler, notFoundHandler } from './errors';
import { ApiRegistry, buildOpenApi } from './http/api';
import { requireAuth, requireRole } from './http/auth';
import { createControllerMetrics, type ControllerMetrics } from './http/metrics';
import { requestIdMiddleware } from './http/request-id';
import { PasswordHasher } from './lib/passwords';
import { SecretBox } from './lib/secret-box';
import { transactor } from './lib/transactions';
import type { Logger } from './logger';
import { AccessTokens } from './modules/auth/access-tokens';
import { AttemptLimiter, loginLimitRules } from './modules/auth/attempt-limiter';
import { registerAuthRoutes } from './modules/auth/auth.routes';
import { AuthService } from './modules/auth/auth.service';
import { RecoveryCodeHasher } from './modules/auth/recovery-codes';
import { RecoveryCodesRepository } from './modules/auth/recovery-codes.repository';
import { TwoFactorService } from './modules/auth/two-factor.service';
import { registerAuditRoutes } from './modules/audit/audit.routes';
import { AuditRepository } from './modules/audit/audit.repository';
import { AuditService } from './modules/audit/audit.service';
import { healthRoutes } from './modules/health/health.routes';
import { ExecutorSessions } from './modules/sessions/executor-sessions';
import { SessionCache } from './modules/sessions/session-cache';
import { registerSessionsRoutes } from './modules/sessions/sessions.routes';
import { SessionsRepository } from './modules/sessions/sessions.repository';
import { SessionsService } from './modules/sessions/sessions.service';
import { registerUsersRoutes } from './modules/users/users.routes';
import { UsersRepository } from './modules/users/users.repository';
import { UsersService } from './modules/users/users.service';
import { RouterActionsService } from './modules/routers/router-actions.service';
import { startRouterLivenessJob } from './modules/routers/router-liveness.job';
import { registerRouterRoutes, requireRouterToken } from './modules/routers/routers.routes';
import { RoutersRepository } from './modules/routers/routers.repository';
import { RoutersService } from './modules/routers/routers.service';
import { consoleStatic } from './modules/console/console-static';
import { registerConsoleRoutes } from './modules/console/console.routes';
import { ConsoleService } from './modules/console/console.service';
import { handDemoProvisionKey } from './modules/console/demo-enrolment';
import { registerStreamRoutes } from './modules/stream/stream.routes';
import { NotificationListener, StreamRepository } from './modules/stream/stream.repository';
import { StreamService } from './modules/stream/stream.service';

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
  routers: RoutersService;
  routerActions: RouterActionsService;
  metrics: ControllerMetrics;
  /** Marks silent routers offline; main.ts starts it, tests call runOnce(). */
  routerLiveness: { start(): void; stop(): void; runOnce(): Promise<number> };
  /** Live updates; close() ends every open stream and the LISTEN connection. */
  stream: StreamService;
  console: ConsoleService;
}

/** Plain objects wired by hand: no container, no module-level state (caches and limiters are per call). */
export function createServices(deps: ControllerDeps): ControllerServices {
  const { config, logger, dataSource } = deps;
  const transaction = transactor(dataSource);
  const secretBox = new SecretBox(config.secretKey);
  const hasher = new PasswordHasher(config.bcryptCost);
  const streamRepo = new StreamRepository(dataSource);
  const stream = new StreamService({
    notify: (payload) => streamRepo.notify(payload),
    routerAudience: (routerId) => streamRepo.routerAudience(routerId),
    listen: ({ onNotification, onReconnect }) => {
      const listener = new NotificationListener({ connectionString: config.databaseUrl, logger, onNotification, onReconnect });
      listener.start();
      return listener;
    },
    logger,
  });
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
    publish: stream.publish,
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
  const metrics = createControllerMetrics({ defaultMetrics: config.nodeEnv !== 'test' });
  const routersRepo = new RoutersRepository(dataSource);
  const routers = new RoutersService(routersRepo, secretBox, audit, {
    allowedCidrs: config.routerAllowedCidrs,
    tunnelPorts: config.routerTunnelPorts,
    provisionKeyTtlMs: config.provisionKeyTtlMs,
    offlineAfterMs: config.routerOfflineAfterMs,
    allowedEndpoints: config.routerAllowedEndpoints,
  }, undefined, stream.publish);
  const routerActions = new RouterActionsService(
    routersRepo,
    routers,
    deps.executor,
    audit,
    logger,
    (action, outcome, ms) => metrics.observeAction(action, outcome, ms),
    stream.publish,
  );
  let liveness: ReturnType<typeof startRouterLivenessJob> | null = null;
  const routerLiveness = {
    start: () => {
      liveness ??= startRouterLivenessJob(routers, logger, config.routerLivenessIntervalMs);
    },
    stop: () => liveness?.stop(),
    runOnce: () => routers.markSilentRoutersOffline(),
  };
  return {
    stream,
    console: new ConsoleService({
      anyUserExists: () => usersRepo.anyExists(),
      routers,
      handProvisionKey: handDemoProvisionKey,
      allowRegistration: config.allowRegistration,
      demoRouter: config.demoRouter,
    }),
    routers,
    routerActions,
    metrics,
    routerLiveness,
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
  app.use(requestIdMiddleware(deps.logger, services.metrics.observeRequest));
  app.use(express.json({ limit: '100kb' }));

  const api = new ApiRegistry({
    public: [],
    user: [services.requireAuth],
    admin: [services.requireAuth, requireRole('admin')],
    router: [requireRouterToken(services.routers)],
  });
  // Tokens, recovery codes and router data must never be kept by a browser or a proxy. The
  // first layer of the API router itself, so that it applies to every /api/v1 request.
  api.router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  registerAuthRoutes(api, {
    auth: services.auth,
    users: services.users,
    twoFactor: services.twoFactor,
    sessions: services.sessions,
    refreshCookieMaxAgeSeconds: deps.config.refreshTokenTtlSeconds,
  });
  registerUsersRoutes(api, { users: services.users });
  registerSessionsRoutes(api, { sessions: services.sessions });
  registerAuditRoutes(api, { audit: services.audit });
  registerRouterRoutes(api, {
    routers: services.routers,
    actions: services.routerActions,
    userExists: async (id) => (await services.usersRepo.findById(id)) !== null,
  });
  registerStreamRoutes(api, {
    stream: services.stream,
    sessionActive: async (id) => (await services.sessions.authenticate(id)) !== null,
    heartbeatMs: deps.config.streamHeartbeatMs,
    maxLifetimeMs: deps.config.accessTokenTtlSeconds * 1000,
  });
  registerConsoleRoutes(api, { console: services.console });

  // The API first: nearly every request is for it, and express tries layers in order. The
  // paths below do not overlap, so the order changes no answer. openapi.json stays ahead of
  // the /api/v1 router, which would otherwise add Cache-Control: no-store to it.
  const openApi = buildOpenApi({ title: 'NetPilot controller API', version: '1', basePath: '/api/v1', specs: api.specs });
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/api/v1', api.router);

  app.use(healthRoutes(deps));
  app.get('/metrics', async (_req, res) => {
    res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });
  // Swagger UI's inline bootstrap script needs a relaxed CSP on its own pages only.
  app.use('/api/docs', helmet({ contentSecurityPolicy: false }), swaggerUi.serve, swaggerUi.setup(openApi, { customSiteTitle: 'NetPilot API' }));
  // Last before the 404: the console's files, and its page for client-side routes.
  app.use(consoleStatic(deps.config.consoleDir));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
