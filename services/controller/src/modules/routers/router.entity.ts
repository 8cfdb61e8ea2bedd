import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Platform } from '@netpilot/contracts';

export type AuthMethod = 'password' | 'privateKey';
export type RouterStatus = 'unknown' | 'online' | 'offline';
/** What the last reconcile saw: equal to the desired state, still different, waiting to apply, or not reachable. */
export type Convergence = 'in-sync' | 'drifting' | 'pending' | 'unreachable';

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

  /** The token before the last rotation: still accepted until previousRouterTokenExpiresAt. */
  @Column({ name: 'previous_router_token_hash', type: 'text', nullable: true })
  previousRouterTokenHash!: string | null;

  @Column({ name: 'previous_router_token_expires_at', type: 'timestamptz', nullable: true })
  previousRouterTokenExpiresAt!: Date | null;

  /** The IANA time zone the router's schedules are read in (default UTC). */
  @Column({ name: 'time_zone', type: 'text', default: 'UTC' })
  timeZone!: string;

  @Column({ name: 'registered_at', type: 'timestamptz', nullable: true })
  registeredAt!: Date | null;

  @Column({ name: 'network_info', type: 'jsonb', nullable: true })
  networkInfo!: Record<string, unknown> | null;

  /** The router's /proc/sys/kernel/random/boot_id as its last heartbeat said. */
  @Column({ name: 'boot_id', type: 'text', nullable: true })
  bootId!: string | null;

  @Column({ type: 'text', nullable: true })
  convergence!: Convergence | null;

  @Column({ name: 'last_reconciled_at', type: 'timestamptz', nullable: true })
  lastReconciledAt!: Date | null;

  @Column({ name: 'last_reconcile_error', type: 'text', nullable: true })
  lastReconcileError!: string | null;

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
