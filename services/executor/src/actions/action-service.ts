import {
  ACTION_CATALOG,
  actionRequestSchema,
  type ActionName,
  type EnvelopeMetadata,
  isActionName,
  type Platform,
  type RouterTarget,
} from '@netpilot/contracts';
import { AppError } from '../errors';
import type { Logger } from '@netpilot/service-kit';
import type { ExecutorMetrics } from '../metrics/metrics';
import type { PlatformDriver } from '../platforms/types';
import type { RunInfo } from '../sessions/action-runner';
import type { SessionRegistry } from '../sessions/session-registry';
import { actionErrorToAppError, validationFailed } from './action-errors';

/** Actions that work on our nftables table or iptables chain, which a firewall reload can remove. */
const USES_OUR_FIREWALL: ReadonlySet<ActionName> = new Set<ActionName>(['block', 'unblock', 'list-blocked']);

/** Finds the driver of a platform; throws the driver layer's unsupported-platform error. */
export type DriverLookup = (platform: Platform) => PlatformDriver;

export interface ActionServiceOptions {
  sessions: SessionRegistry;
  getDriver: DriverLookup;
  logger: Logger;
  metrics?: ExecutorMetrics;
  actionTimeoutMs: number;
}

export interface ActionAnswer {
  data: unknown;
  metadata: Partial<EnvelopeMetadata>;
}

interface ValidRequest {
  sessionId: string;
  router: RouterTarget;
  params: Record<string, unknown>;
}

/**
 * Runs one allowlisted action: validate everything before any SSH traffic, find the
 * session and the platform driver, run it on the session's pooled connection, and
 * describe what happened in the envelope's metadata, success or failure.
 */
export class ActionService {
  constructor(private readonly opts: ActionServiceOptions) {}

  async execute(name: string, body: unknown): Promise<ActionAnswer> {
    const started = process.hrtime.bigint();
    const elapsedMs = () => Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
    const bodyObj = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const meta: Partial<EnvelopeMetadata> = {
      sessionId: readId(bodyObj.sessionId),
      routerId: readId((bodyObj.router as { id?: unknown } | null)?.id),
      action: isActionName(name) ? name : null,
    };
    const info: RunInfo = { connectionReused: null, hostKeySha256: null, jumpHostKeySha256: null };
    const describe = (): Partial<EnvelopeMetadata> => {
      const m: Partial<EnvelopeMetadata> = {
        ...meta,
        durationMs: elapsedMs(),
        connectionReused: info.connectionReused,
        hostKeySha256: info.hostKeySha256,
      };
      if (info.jumpHostKeySha256) m.jumpHostKeySha256 = info.jumpHostKeySha256;
      return m;
    };

    let outcome = 'ok';
    try {
      const action = this.allowlisted(name);
      const req = this.validate(action, body);
      meta.sessionId = req.sessionId;
      meta.routerId = req.router.id;
      const driver = this.opts.getDriver(req.router.platform);
      const session = this.opts.sessions.get(req.sessionId);
      if (!session) {
        throw new AppError('SESSION_NOT_FOUND', 'No such session; start it first', { sessionId: req.sessionId });
      }
      const data = await this.opts.sessions.use(session, () =>
        session.pool.run(
          req.router,
          driver,
          (runner) => driver.run(action, req.params as never, runner, req.router),
          info,
          { reprepareOnFailure: USES_OUR_FIREWALL.has(action) },
        ),
      );
      const metadata = describe();
      this.opts.logger.info('action done', {
        action,
        sessionId: req.sessionId,
        routerId: req.router.id,
        durationMs: metadata.durationMs,
        connectionReused: info.connectionReused,
      });
      return { data, metadata };
    } catch (err) {
      let appErr = actionErrorToAppError(err, { actionTimeoutMs: this.opts.actionTimeoutMs });
      if (!appErr) {
        this.opts.logger.error('action failed unexpectedly', { err, action: meta.action, routerId: meta.routerId });
        appErr = new AppError('INTERNAL_ERROR', 'Internal error');
      } else if (appErr.code !== 'VALIDATION_FAILED' && appErr.code !== 'UNKNOWN_ACTION') {
        this.opts.logger.warn('action failed', {
          action: meta.action,
          sessionId: meta.sessionId,
          routerId: meta.routerId,
          // 'code' alone is redacted by the logger (TOTP codes), so the key says what it is.
          errorCode: appErr.code,
          reason: appErr.message,
        });
      }
      outcome = appErr.code;
      throw new AppError(appErr.code, appErr.message, appErr.details, describe());
    } finally {
      if (meta.action) {
        this.opts.metrics?.actionDuration.observe({ action: meta.action, outcome }, elapsedMs() / 1000);
      }
    }
  }

  private allowlisted(name: string): ActionName {
    if (!isActionName(name)) {
      throw new AppError('UNKNOWN_ACTION', 'No such action', { allowed: Object.keys(ACTION_CATALOG) });
    }
    return name;
  }

  /** Outer body, then the action's params against the catalog (unknown keys refused). */
  private validate(action: ActionName, body: unknown): ValidRequest {
    const outer = actionRequestSchema.validate(body ?? {}, { abortEarly: false, convert: true });
    if (outer.error) throw validationFailed(outer.error);
    const value = outer.value as ValidRequest;
    const params = ACTION_CATALOG[action].params.validate(value.params, {
      abortEarly: false,
      convert: true,
      allowUnknown: false,
    });
    if (params.error) throw validationFailed(params.error, 'params');
    return { ...value, params: params.value as Record<string, unknown> };
  }
}

/** An id from an unvalidated body, echoed in metadata only when it looks like an id. */
function readId(id: unknown): string | null {
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : null;
}
