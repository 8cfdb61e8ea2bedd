import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type CommandStatus = 'pending' | 'sent' | 'succeeded' | 'failed';

/** One router action as it happened: what, for whom, and how it ended. */
@Entity({ name: 'commands' })
export class CommandEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'router_id', type: 'uuid' })
  routerId!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'jsonb', default: {} })
  params!: Record<string, unknown>;

  @Column({ type: 'text' })
  status!: CommandStatus;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs!: number | null;

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy!: string | null;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId!: string | null;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;

  /** A user's request, or the system's own work (reconciliation, schedules). */
  @Column({ type: 'text', default: 'user' })
  actor!: 'user' | 'system';

  /** The controller instance that runs it; its commands are finished as INTERRUPTED when it dies. */
  @Column({ name: 'owner_instance', type: 'uuid', nullable: true })
  ownerInstance!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

/** What a new command row records; the rest follows from its lifecycle. */
export type NewCommand = Pick<CommandEntity, 'routerId' | 'action' | 'params' | 'requestedBy' | 'sessionId' | 'requestId' | 'actor' | 'ownerInstance'>;
