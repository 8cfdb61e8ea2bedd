import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type BlockKind = 'ip' | 'mac';
/** pending: wanted, not seen applied yet; applied: the router accepted it; removing: an unblock is on its way. */
export type BlockStatus = 'pending' | 'applied' | 'removing';

/** A device that must not pass the router: the desired state, one row per router and address. */
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

  /** The last time the router was seen enforcing it (its block succeeded, or a reconcile listed it). */
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;

  /** A temporary block ends by itself at this time (the reconciler lifts it, as the system); null: until unblocked. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}

/** A block with the device it is for (by MAC, or by the IP a device was last seen with): its id and name or hostname. */
export type NamedBlock = BlockEntity & { deviceId: string | null; deviceName: string | null };
