import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { requestContext, type Logger } from '@netpilot/service-kit';
import { Logger as WorkerLogger, run, type Runner, type TaskList, type WorkerEvents } from 'graphile-worker';
import type { Database } from '../db/database';
import type { Queryable, Sql } from '../db/sql';

export interface JobQueueOptions {
  db: Pick<Database, 'pool' | 'sql'>;
  logger: Logger;
  /** Jobs running at once in this process. */
  concurrency: number;
  /** How often workers look for jobs that became due (jobs due now are picked up at once, by LISTEN/NOTIFY). */
  pollIntervalMs?: number;
}

export interface KeyedJobKind<T> {
  name: string;
  handler: (data: T) => Promise<void>;
}

export interface PeriodicJob {
  name: string;
  everyMs: number;
  handler: () => Promise<void>;
}

export interface SendOptions {
  /** Jobs with the same key coalesce: one waits at a time. */
  key: string;
  delayMs?: number;
  /**
   * 'replace' (default): the newest send sets when the waiting job runs; 'keep': an
   * earlier-scheduled job keeps its time; 'unlessDue': like replace, except that a waiting job
   * already due is left to run (a plan made after its moment must not push it away).
   */
  mode?: 'replace' | 'keep' | 'unlessDue';
  /** Adds the job in this transaction: it exists exactly when the work it is for was committed. */
  tx?: Queryable;
  /** JOB_PRIORITY.normal unless said. */
  priority?: number;
}

/** graphile-worker's SQL function, so that a send is one statement on our pool (also without a running worker). */
const ADD_JOB_SQL = `SELECT (graphile_worker.add_job($1, $2::json, run_at => now() + $3 * interval '1 millisecond',
  max_attempts => $4, job_key => $5, job_key_mode => $6, priority => $7)).id`;

/** ADD_JOB_SQL, unless a job with this key is due and not yet taken: that one runs as it is. */
const ADD_JOB_UNLESS_DUE_SQL = `SELECT CASE WHEN EXISTS (SELECT 1 FROM graphile_worker.jobs j WHERE j.key = $5 AND j.run_at <= now() AND j.locked_at IS NULL)
  THEN NULL ELSE (graphile_worker.add_job($1, $2::json, run_at => now() + $3 * interval '1 millisecond',
  max_attempts => $4, job_key => $5, job_key_mode => $6, priority => $7)).id END`;

/**
 * Which due job a free worker takes first (lower first). Housekeeping (audit sealing, orphaned
 * commands, liveness) and a user's bulk operation must not wait behind a backlog of reconciles
 * (many unreachable routers each waiting out a timeout); the periodic drift checks of a large
 * fleet come after everything else.
 */
export const JOB_PRIORITY = { periodic: -10, user: -5, normal: 0, driftCheck: 5 } as const;

/**
 * The controller's background work on graphile-worker 0.17 (docs/architecture.md says why),
 * in the PostgreSQL every replica shares. Keyed jobs coalesce (one waits per key); periodic
 * jobs run once per interval across all replicas (one job per time slot, offered by every
 * replica under one key). Jobs due now start at once (LISTEN/NOTIFY); delayed ones within
 * the poll interval. The only file that knows graphile-worker; handlers live in their
 * modules and are wired in jobs/background.ts.
 */
export class JobQueue {
  private readonly tasks: TaskList = {};
  private readonly periodic: PeriodicJob[] = [];
  private readonly seeders: NodeJS.Timeout[] = [];
  private runner: Runner | null = null;
  private poolId: string | null = null;
  private readonly sql: Sql;

  constructor(private readonly opts: JobQueueOptions) {
    this.sql = opts.db.sql;
  }

  /** The worker pool id this process's jobs are locked with (for unlocking them when it dies), once started. */
  get workerPoolId(): string | null {
    return this.poolId;
  }

  /** A kind of job sent with a key (see `send`). */
  defineKeyed<T extends object>(kind: KeyedJobKind<T>): void {
    this.tasks[kind.name] = (payload) => this.runInContext(kind.name, () => kind.handler(payload as T));
  }

  /** A job run once per `everyMs` across all replicas. */
  definePeriodic(job: PeriodicJob): void {
    this.periodic.push(job);
    this.tasks[job.name] = () => this.runInContext(job.name, job.handler);
  }

  /** Starts the workers and the periodic offers (the queue's schema comes with migrateUp). */
  async start(): Promise<void> {
    const pgPool = this.opts.db.pool;
    const logger = workerLogger(this.opts.logger);
    const events: WorkerEvents = new EventEmitter();
    events.on('pool:create', ({ workerPool }) => {
      this.poolId = workerPool.id;
    });
    this.runner = await run({
      pgPool,
      logger,
      events,
      taskList: this.tasks,
      concurrency: this.opts.concurrency,
      pollInterval: this.opts.pollIntervalMs ?? 1000,
      noHandleSignals: true,
    });
    for (const job of this.periodic) {
      await this.offer(job);
      const timer = setInterval(() => void this.offer(job), Math.min(5000, Math.max(250, job.everyMs / 4)));
      timer.unref();
      this.seeders.push(timer);
    }
  }

  /** Adds a job; a send with the key of a job still waiting updates that job instead of adding one. */
  async send<T extends object>(name: string, data: T, opts: SendOptions): Promise<void> {
    const params = [name, JSON.stringify(data), opts.delayMs ?? 0, 3, opts.key, opts.mode === 'keep' ? 'preserve_run_at' : 'replace', opts.priority ?? JOB_PRIORITY.normal];
    if (opts.mode === 'unlessDue') await (opts.tx ?? this.sql).query(ADD_JOB_UNLESS_DUE_SQL, params, 'jobs_add_unless_due');
    else await (opts.tx ?? this.sql).query(ADD_JOB_SQL, params, 'jobs_add');
  }

  /** Removes the waiting job with this key, if any (a running one finishes and is not retried). */
  async cancel(key: string): Promise<void> {
    await this.sql.query('SELECT graphile_worker.remove_job($1)', [key], 'jobs_remove');
  }

  /**
   * Stops taking jobs and waits for the running ones. graphile-worker 0.17 resolves stop()
   * before its last completion is written, so a moment later this process's locks are
   * released outright (nothing of ours runs any more), or its jobs would wait 4 hours.
   */
  async stop(): Promise<void> {
    for (const t of this.seeders.splice(0)) clearInterval(t);
    const runner = this.runner;
    if (!runner) return;
    this.runner = null;
    await runner.stop();
    await new Promise((r) => setTimeout(r, 300));
    if (this.poolId) await this.sql.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [[this.poolId]]).catch(() => undefined);
  }

  /** Offers the job of the next time slot (at the database's clock); all replicas offer under one key, so one job per slot exists. */
  private async offer(job: PeriodicJob): Promise<void> {
    const seconds = Math.max(0.25, job.everyMs / 1000);
    try {
      await this.sql.query(
        `SELECT graphile_worker.add_job($1, '{}'::json, job_key => $2, job_key_mode => 'preserve_run_at', max_attempts => 1,
                run_at => to_timestamp((floor(extract(epoch FROM now()) / $3) + 1) * $3), priority => $4)`,
        [job.name, `periodic:${job.name}`, seconds, JOB_PRIORITY.periodic],
        'jobs_offer_periodic',
      );
    } catch (err) {
      this.opts.logger.warn('could not offer a periodic job', { job: job.name, reason: (err as Error).message });
    }
  }

  /** A job runs in its own context (its log lines carry `job:<name>`); a failure is logged and rethrown (graphile-worker retries it). */
  private async runInContext(name: string, work: () => Promise<void>): Promise<void> {
    // A job's own id: it runs long after (and apart from) the request that asked for it.
    const requestId = `job:${name}:${randomUUID().slice(0, 8)}`;
    await requestContext.run({ requestId }, async () => {
      try {
        await work();
      } catch (err) {
        this.opts.logger.error('job failed', { job: name, err });
        throw err;
      }
    });
  }
}

/** graphile-worker's own log lines, through our logger (its debug chatter dropped). */
function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger(() => (level, message) => {
    if (level === 'error') logger.error(`job queue: ${message}`);
    else if (level === 'warning') logger.warn(`job queue: ${message}`);
  });
}
