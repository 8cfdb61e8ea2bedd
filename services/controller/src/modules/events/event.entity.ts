import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type EventLevel = 'info' | 'warn' | 'error';
/** Who wrote it: the router itself (with its token), or the controller observing the router. */
export type EventSource = 'router' | 'controller';

/** Something that happened on or to a router, kept for EVENT_RETENTION_DAYS. */
@Entity({ name: 'events' })
export class EventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'router_id', type: 'uuid' })
  routerId!: string;

  @Column({ type: 'text' })
  source!: EventSource;

  @Column({ type: 'text' })
  level!: EventLevel;

  /** Dotted and lower case: `router.rebooted`, `wan.down`. */
  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'jsonb', nullable: true })
  data!: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A row of an event listing: the event and its router's name. */
export type ListedEvent = EventEntity & { routerName: string };
