import { randomUUID } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { ExecutorClient } from '@netpilot/executor-client';
import { errorMiddleware, notFoundHandler, rejectMalformedText, requestIdMiddleware, type Logger } from '@netpilot/service-kit';
import type { ControllerConfig } from './config';
import type { Database } from './db/database';
import { translateDatabaseError } from './db/errors';
import { anonymousGuard } from './http/anonymous-limits';
import { ApiRegistry, buildOpenApi } from './http/api';
import { requireAuth, requireRole } from './http/auth';
import { createControllerMetrics, type ControllerMetrics } from './http/metrics';
import { PasswordHasher } from './lib/passwords';
import { SecretBox } from './lib/secret-box';
import { registerAuditRoutes } from './modules/audit/audit.routes';
import { AuditRepository } from './modules/audit/audit.repository';
import { AuditService } from './modules/audit/audit.service';
import { AccessTokens } from './modules/auth/access-tokens';
import { AttemptLimiter, loginLimitRules } from './modules/auth/attempt-limiter';
import { registerAuthRoutes } from './modules/auth/auth.routes';
import { AuthService } from './modules/auth/auth.service';
import { RecoveryCodeHasher } from './modules/auth/recovery-codes';
import { RecoveryCodesRepository } from './modules/auth/recovery-codes.repository';
import { TwoFactorService } from './modules/auth/two-factor.service';
import { registerBlockRoutes } from './modules/blocks/blocks.routes';
import { registerOperationRoutes } from './modules/operations/operations.routes';
import { OperationsService } from './modules/operations/operations.service';
import { OperationsRepository } from './modules/operations/operations.repository';
import { BlocksRepository } from './modules/blocks/blocks.repository';
import { BlocksService } from './modules/blocks/blocks.service';
import { registerCommandRoutes } from './modules/commands/commands.routes';
import { CommandsRepository } from './modules/commands/commands.repository';
import { CommandsService } from './modules/commands/commands.service';
import { consoleStatic } from './modules/console/console-static';
import { registerConsoleRoutes } from './modules/console/console.routes';
import { ConsoleService } from './modules/console/console.service';
import { handDemoProvisionKey } from './modules/console/demo-enrolment';
import { registerDeviceRoutes } from './modules/devices/devices.routes';
import { registerEventRoutes } from './modules/events/events.routes';
import { EventsRepository } from './modules/events/events.repository';
import { EventsService, routerStatusEvent } from './modules/events/events.service';
import { BoundaryJobs } from './modules/reconcile/boundary.jobs';
import { registerScheduleRoutes } from './modules/schedules/schedules.routes';
import { SchedulesRepository } from './modules/schedules/schedules.repository';
import { SchedulesService } from './modules/schedules/schedules.service';
import { DevicesRepository } from './modules/devices/devices.repository';
import { DevicesService } from './modules/devices/devices.service';
import { InstancePresence } from './modules/instances/instance-presence';
import { InstancesRepository } from './modules/instances/instances.repository';
import { JobQueue } from './jobs/job-queue';
import { driftSweepEveryMs, ReconcileJobs } from './modules/reconcile/reconcile.jobs';
import { ReconcileRepository } from './modules/reconcile/reconcile.repository';
import { registerReconcileRoutes } from './modules/reconcile/reconcile.routes';
import { ReconcileService } from './modules/reconcile/reconcile.service';
import { healthRoutes } from './modules/health/health.routes';
import { OnboardingRepository } from './modules/onboarding/onboarding.repository';
import { registerOnboardingRoutes, requireRouterToken } from './modules/onboarding/onboarding.routes';
import { OnboardingService } from './modules/onboarding/onboarding.service';
import { DestinationPolicy } from './modules/routers/destination-policy';
import { RouterCredentialStore } from './modules/routers/router-credentials';
import { RouterListingRepository } from './modules/routers/router-listing.repository';
import { registerRouterRoutes } from './modules/routers/routers.routes';
import { RoutersRepository } from './modules/routers/routers.repository';
import { RoutersService } from './modules/routers/routers.service';
import { ExecutorSessions } from './modules/sessions/executor-sessions';
import { SessionCache } from './modules/sessions/session-cache';
import { registerSessionsRoutes } from './modules/sessions/sessions.routes';
import { SessionsRepository } from './modules/sessions/sessions.repository';
import { SessionsService } from './modules/sessions/sessions.service';
import { registerUsersRoutes } from './modules/users/users.routes';
import { UsersRepository } from './modules/users/users.repository';
import { registerStreamRoutes } from './modules/stream/stream.routes';
import { NotificationListener, StreamRepository } from './modules/stream/stream.repository';
import { StreamService } from './modules/stream/stream.service';
import { UsersService } from './modules/users/users.service';

export interface ControllerDeps {
  config: Readonly<ControllerConfig>;
  logger: Logger;
  db: Database;
  executor: ExecutorClient;
  /** This controller process (its commands' owner, its executor session for system work); random when not given. */
  instanceId?: string;
  /** The time schedules and temporary blocks are judged at; the system clock when not given (tests move it). */
  clock?: () => Date;
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
  onboarding: OnboardingService;
  commands: CommandsService;
  blocks: BlocksService;
  operations: OperationsService;
  devices: DevicesService;
  schedules: SchedulesService;
  events: EventsService;
  /** When schedules' windows open and close and temporary blocks end: jobs that ask for a reconcile. */
  boundaries: BoundaryJobs;
  metrics: ControllerMetrics;
  /** Marks silent routers offline (the liveness job runs it). */
  routerLiveness: { runOnce(): Promise<number> };
  reconcile: ReconcileService;
  /** When routers get reconciled: on request, after failures, and the drift check. */
  reconcileJobs: ReconcileJobs;
  /** The shared job queue (started by startBackgroundWork). */
  queue: JobQueue;
  /** This process's heartbeat row (the owner of the commands it runs). */
  presence: InstancePresence;
  instances: InstancesRepository;
  /** This controller process's id: its commands' owner and its executor session for system work. */
  instanceId: string;
  /** Live updates; close() ends every open stream and the LISTEN connection. */
  stream: StreamService;
  console: ConsoleService;
}

/** Plain objects wired by hand: no container, no module-level state (caches and limiters are per call). */
export function createServices(deps: ControllerDeps): ControllerServices {
  const { config, logger } = deps;
  const sql = deps.db.sql;
  const instanceId = deps.instanceId ?? randomUUID();
  const clock = deps.clock ?? (() => new Date());
  const transaction = sql.transaction;
  const secretBox = new SecretBox(config.secretKey);
  const hasher = new PasswordHasher(config.bcryptCost);
  const streamRepo = new StreamRepository(sql);
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
  const publish = stream.publish;
  const audit = new AuditService(new AuditRepository(sql), logger);
  const usersRepo = new UsersRepository(sql);
  const limiter = new AttemptLimiter(sql, loginLimitRules(config.loginLimits));
  const accessTokens = new AccessTokens(config.jwtSecret, config.accessTokenTtlSeconds);
  const sessions = new SessionsService({
    repo: new SessionsRepository(sql),
    cache: new SessionCache(config.sessionCacheTtlMs),
    executorSessions: new ExecutorSessions(deps.executor, logger),
    audit,
    transaction,
    sessionTtlSeconds: config.refreshTokenTtlSeconds,
    maxSessionsPerUser: config.maxSessionsPerUser,
    publish,
  });
  const twoFactor = new TwoFactorService({
    users: usersRepo,
    recoveryCodes: new RecoveryCodesRepository(sql),
    recoveryHasher: new RecoveryCodeHasher(config.secretKey),
    secretBox,
    hasher,
    limiter,
    audit,
    transaction,
    sessions,
  });
  const routersRepo = new RoutersRepository(sql);
  const users = new UsersService({
    repo: usersRepo,
    hasher,
    audit,
    sessions,
    transaction,
    resetTwoFactor: (userId, tx) => twoFactor.reset(userId, tx),
    sharedRoutersOwnedBy: (userId, tx) => routersRepo.ownedAndShared(userId, tx),
    allowRegistration: config.allowRegistration,
  });
  const auth = new AuthService({ users: usersRepo, hasher, limiter, twoFactor, sessions, accessTokens, audit, transaction, logger });
  const metrics = createControllerMetrics({ defaultMetrics: config.nodeEnv !== 'test' });
  const credentials = new RouterCredentialStore(secretBox);
  const destinations = new DestinationPolicy({ allowedCidrs: config.routerAllowedCidrs, allow: config.routerDestinations });
  /** Work a hook does after the request's own is stored: its failure is logged and the request stands (the periodic jobs catch up). */
  const later = (what: string, routerId: string, work: () => Promise<unknown>): Promise<void> =>
    work().then(
      () => undefined,
      (err: unknown) => {
        logger.warn(`could not ${what}`, { routerId, reason: (err as Error).message });
      },
    );
  // The reconcile and boundary jobs are built below; the hooks that use them run only later.
  let reconcileJobs: ReconcileJobs | null = null;
  let boundaries: BoundaryJobs | null = null;
  const trigger = (routerId: string, reason: string) => void later('ask for a reconcile', routerId, async () => reconcileJobs?.request(routerId, reason));
  const routers = new RoutersService({
    repo: routersRepo,
    listing: new RouterListingRepository(sql),
    credentials,
    destinations,
    audit,
    transaction,
    userExists: async (id) => (await usersRepo.findById(id)) !== null,
    onTimeZoneChange: (routerId) => void later('plan the schedules of a router in its new time zone', routerId, async () => boundaries?.timeZoneChanged(routerId)),
  });
  const events = new EventsService({ repo: new EventsRepository(sql), routers, logger, perMinute: config.routerEventsPerMinute, publish });
  const onboarding = new OnboardingService({
    repo: new OnboardingRepository(sql),
    routers,
    audit,
    transaction,
    limiter,
    events,
    destinations,
    policy: { provisionKeyTtlMs: config.provisionKeyTtlMs, offlineAfterMs: config.routerOfflineAfterMs, tokenGraceMs: config.routerTokenGraceMs },
    publish,
    onReturn: (routerId, why) => trigger(routerId, why === 'rebooted' ? 'rebooted' : why === 'moved' ? 'new address' : 'back online'),
  });
  /** An action found a router back, or could not reach it: its status is told, audited and recorded as an event. */
  const onContactChange = (routerId: string, change: { statusBefore: string; reached: boolean }) => {
    void publish({ kind: 'router.status', routerId });
    const system = { userId: null, ip: null };
    const target = { type: 'router', id: routerId };
    if (change.reached) {
      void audit.recordQuietly({ action: 'router.online', actor: system, target, details: { via: 'action' } });
      void events.record(routerId, routerStatusEvent('online', 'an action'));
      trigger(routerId, 'back online');
    } else {
      void audit.recordQuietly({ action: 'router.offline', actor: system, target, details: { via: 'action' } });
      void events.record(routerId, routerStatusEvent('offline', 'an action could not reach it'));
    }
  };
  const commandsRepo = new CommandsRepository(sql);
  const commands = new CommandsService({
    instanceId,
    repo: commandsRepo,
    routers,
    credentials,
    executor: deps.executor,
    audit,
    logger,
    observe: (action, outcome, ms) => metrics.observeAction(action, outcome, ms),
    publish,
    maxCommandAgeMs: 4 * config.executorTimeoutMs,
    onInterrupted: (routerId) => trigger(routerId, 'interrupted command'),
    onContactChange,
  });
  const reconcileRepo = new ReconcileRepository(sql);
  const blocksRepo = new BlocksRepository(sql);
  const schedulesRepo = new SchedulesRepository(sql);
  const reconcile = new ReconcileService({
    repo: reconcileRepo,
    routers,
    credentials,
    executor: deps.executor,
    blocks: blocksRepo,
    commands,
    audit,
    events,
    transaction,
    clock,
    logger,
    instanceId,
    publish,
    policy: { retryBaseMs: config.reconcileRetryBaseMs, retryMaxMs: config.reconcileRetryMaxMs, leaseMs: 2 * config.executorTimeoutMs },
  });
  // Reconciles at once, plus room for the periodic jobs.
  const queue = new JobQueue({ db: deps.db, logger, concurrency: config.reconcileConcurrency + 2, pollIntervalMs: config.jobPollSeconds * 1000 });
  reconcileJobs = new ReconcileJobs({
    queue,
    reconcile,
    repo: reconcileRepo,
    system: { system: true, sessionId: instanceId },
    logger,
    intervalMs: config.reconcileIntervalMs,
    sweepEveryMs: driftSweepEveryMs(config.reconcileIntervalMs),
  });
  const jobs = reconcileJobs;
  const boundaryJobs = new BoundaryJobs({ queue, reconcileJobs: jobs, schedules: schedulesRepo, blocks: blocksRepo, clock, logger });
  boundaries = boundaryJobs;
  const devices = new DevicesService({
    repo: new DevicesRepository(sql),
    routers,
    commands,
    blocks: blocksRepo,
    schedules: schedulesRepo,
    events,
    audit,
    transaction,
    clock,
    publish,
  });
  const blocks = new BlocksService({
    repo: blocksRepo,
    routers,
    commands,
    audit,
    transaction,
    devices,
    schedules: schedulesRepo,
    events,
    clock,
    publish,
    onPending: (routerId, error) => later('hand a pending change to the reconciler', routerId, () => jobs.afterFailedChange(routerId, error)),
    onTemporary: (block) => later("plan a temporary block's end", block.routerId, () => boundaryJobs.planExpiry(block)),
  });
  const schedules = new SchedulesService({
    repo: schedulesRepo,
    routers,
    devices,
    audit,
    transaction,
    clock,
    publish,
    onChange: (schedule, router) => later('plan a schedule', router.id, () => boundaryJobs.scheduleChanged(schedule, router.timeZone)),
    onRemoved: (schedule) => later('forget a schedule', schedule.routerId, () => boundaryJobs.forgetSchedule(schedule)),
  });
  const operations = new OperationsService({
    repo: new OperationsRepository(sql),
    routersRepo,
    routers,
    blocks: blocksRepo,
    schedules: schedulesRepo,
    commands: commandsRepo,
    audit,
    transaction,
    queue,
    executor: deps.executor,
    credentials,
    instanceId,
    system: { system: true, sessionId: instanceId },
    clock,
    logger,
    concurrency: config.bulkConcurrency,
    publish,
    onPending: (routerId, error) => later('hand a pending change to the reconciler', routerId, () => jobs.afterFailedChange(routerId, error)),
    onLeftOver: (routerId) => later('hand an interrupted change to the reconciler', routerId, () => jobs.request(routerId, 'interrupted operation')),
    onTemporary: (block) => later("plan a temporary block's end", block.routerId, () => boundaryJobs.planExpiry(block)),
    onContactChange,
    observe: (action, outcome, ms) => metrics.observeAction(action, outcome, ms),
  });
  const instances = new InstancesRepository(sql);
  const routerLiveness = { runOnce: () => onboarding.markSilentRoutersOffline() };
  return {
    instanceId,
    reconcile,
    reconcileJobs: jobs,
    boundaries: boundaryJobs,
    queue,
    instances,
    presence: new InstancePresence(instanceId, instances, logger),
    stream,
    console: new ConsoleService({
      anyUserExists: () => usersRepo.anyExists(),
      routers,
      onboarding,
      handProvisionKey: handDemoProvisionKey,
      allowRegistration: config.allowRegistration,
      demoRouter: config.demoRouter,
    }),
    routers,
    onboarding,
    commands,
    blocks,
    operations,
    devices,
    schedules,
    events,
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
  app.use(rejectMalformedText);

  const anonymous = anonymousGuard(deps.config.anonymousLimits);
  const api = new ApiRegistry({
    public: (spec) => [anonymous(`${spec.method} ${spec.path}`)],
    user: [services.requireAuth],
    admin: [services.requireAuth, requireRole('admin')],
    // Router tokens are long random secrets; what is bounded is the work done for callers
    // without one (many routers may share an address, so no per-address count here).
    router: (spec) => [anonymous(`${spec.method} ${spec.path}`, { perIp: false }), requireRouterToken(services.onboarding)],
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
  registerRouterRoutes(api, { routers: services.routers });
  registerOnboardingRoutes(api, { onboarding: services.onboarding });
  registerBlockRoutes(api, { blocks: services.blocks });
  registerOperationRoutes(api, { operations: services.operations });
  registerDeviceRoutes(api, { devices: services.devices });
  registerScheduleRoutes(api, { schedules: services.schedules });
  registerEventRoutes(api, { events: services.events });
  registerCommandRoutes(api, { commands: services.commands });
  registerReconcileRoutes(api, { reconcile: services.reconcile });
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

  app.use(healthRoutes({ ping: () => deps.db.sql.query('SELECT 1'), executor: deps.executor }));
  app.get('/metrics', async (_req, res) => {
    const { contentType, body } = await services.metrics.metrics.render();
    res.type(contentType).send(body);
  });
  // Swagger UI's inline bootstrap script needs a relaxed CSP on its own pages only.
  app.use('/api/docs', helmet({ contentSecurityPolicy: false }), swaggerUi.serve, swaggerUi.setup(openApi, { customSiteTitle: 'NetPilot API' }));
  // Last before the 404: the console's files, and its page for client-side routes.
  app.use(consoleStatic(deps.config.consoleDir));

  app.use(notFoundHandler);
  app.use(errorMiddleware({ logger: deps.logger, translate: translateDatabaseError }));
  return app;
}
