import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { BlockKind } from '../blocks/block.entity';
import type { WeeklyWindow } from './schedule-windows';

/** A device blocked during weekly windows in its router's time zone (while enabled). */
@Entity({ name: 'schedules' })
export class ScheduleEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'router_id', type: 'uuid' })
  routerId!: string;

  /** The address blocked while a window is open: a device named by id is blocked by its MAC. */
  @Column({ type: 'text' })
  kind!: BlockKind;

  @Column({ type: 'text' })
  value!: string;

  @Column({ type: 'text', nullable: true })
  label!: string | null;

  @Column({ type: 'jsonb' })
  windows!: WeeklyWindow[];

  /** Paused schedules block nothing. */
  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A schedule with the device it is for (by MAC, or by the IP a device was last seen with): its id and name or hostname. */
export type NamedSchedule = ScheduleEntity & { deviceId: string | null; deviceName: string | null };
