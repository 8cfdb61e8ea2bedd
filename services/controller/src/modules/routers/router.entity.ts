import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Platform } from '@netpilot/contracts';

export type AuthMethod = 'password' | 'privateKey';
export type RouterStatus = 'unknown' | 'online' | 'offline';

/** Non-secret part of a jump host; its password or key is sealed in jumpCredentialsEnc. */
export interface StoredJumpHost {
  host: string;
  port: number;
  username: string;
  authMethod: AuthMethod;
  hostKeySha256?: string;
}

// Every column names its type: services run under tsx, which emits no decorator metadata.
@Entity({ name: 'routers' })
export class RouterEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  host!: string;

  @Column({ type: 'integer' })
  port!: number;

  @Column({ type: 'text' })
  username!: string;

  @Column({ type: 'text' })
  platform!: Platform;

  @Column({ name: 'credentials_enc', type: 'text' })
  credentialsEnc!: string;

  @Column({ name: 'auth_method', type: 'text' })
  authMethod!: AuthMethod;

  @Column({ type: 'jsonb', default: {} })
  options!: { leasesPath?: string };

  @Column({ name: 'jump_host', type: 'jsonb', nullable: true })
  jumpHost!: StoredJumpHost | null;

  @Column({ name: 'jump_credentials_enc', type: 'text', nullable: true })
  jumpCredentialsEnc!: string | null;

  @Column({ name: 'tunnel_port', type: 'integer', nullable: true })
  tunnelPort!: number | null;

  @Column({ name: 'host_key_sha256', type: 'text', nullable: true })
  hostKeySha256!: string | null;

  @Column({ type: 'text', default: 'unknown' })
  status!: RouterStatus;

  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;

  @Column({ name: 'provision_key_hash', type: 'text', nullable: true })
  provisionKeyHash!: string | null;

  @Column({ name: 'provision_key_expires_at', type: 'timestamptz', nullable: true })
  provisionKeyExpiresAt!: Date | null;

  @Column({ name: 'router_token_hash', type: 'text', nullable: true })
  routerTokenHash!: string | null;

  @Column({ name: 'registered_at', type: 'timestamptz', nullable: true })
  registeredAt!: Date | null;

  @Column({ name: 'network_info', type: 'jsonb', nullable: true })
  networkInfo!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'router_assignments' })
export class RouterAssignmentEntity {
  @PrimaryColumn({ name: 'router_id', type: 'uuid' })
  routerId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'assigned_by', type: 'uuid', nullable: true })
  assignedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export type BlockKind = 'ip' | 'mac';
export type BlockStatus = 'pending' | 'applied' | 'removing';

@Entity({ name: 'blocks' })
export class BlockEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'router_id', type: 'uuid' })
  routerId!: string;

  @Column({ type: 'text' })
  kind!: BlockKind;

  @Column({ type: 'text' })
  value!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text' })
  status!: BlockStatus;

  @Column({ name: 'last_error_code', type: 'text', nullable: true })
  lastErrorCode!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'applied_at', type: 'timestamptz', nullable: true })
  appliedAt!: Date | null;
}

@Entity({ name: 'devices' })
export class DeviceEntity {
  @PrimaryColumn({ name: 'router_id', type: 'uuid' })
  routerId!: string;

  @PrimaryColumn({ type: 'text' })
  mac!: string;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ type: 'text', nullable: true })
  hostname!: string | null;

  @Column({ type: 'text', nullable: true })
  vendor!: string | null;

  @Column({ type: 'text', nullable: true })
  interface!: string | null;

  @Column({ type: 'text' })
  source!: 'arp' | 'dhcp' | 'both';

  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;
}

export type CommandStatus = 'pending' | 'sent' | 'succeeded' | 'failed';

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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
