import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';

/** A device seen on a router's LAN (by MAC), with what the last scan knew of it and the name its owner gave it. */
@Entity({ name: 'devices' })
export class DeviceEntity {
  /** Stable across scans (the row's key is router and MAC); blocks and schedules may name a device by it. */
  @Column({ type: 'uuid', unique: true })
  @Generated('uuid')
  id!: string;

  @PrimaryColumn({ name: 'router_id', type: 'uuid' })
  routerId!: string;

  @PrimaryColumn({ type: 'text' })
  mac!: string;

  @Column({ type: 'text', nullable: true })
  ip!: string | null;

  @Column({ type: 'text', nullable: true })
  hostname!: string | null;

  /** The owner's name for it ("Kids' tablet"); null: none given. */
  @Column({ type: 'text', nullable: true })
  name!: string | null;

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

/** A device as one scan reports it. */
export type ScannedDevice = Pick<DeviceEntity, 'mac' | 'ip' | 'hostname' | 'vendor' | 'interface' | 'source'>;
