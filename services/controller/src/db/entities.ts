import { RecoveryCodeEntity } from '../modules/auth/recovery-code.entity';
import { BlockEntity } from '../modules/blocks/block.entity';
import { CommandEntity } from '../modules/commands/command.entity';
import { DeviceEntity } from '../modules/devices/device.entity';
import { EventEntity } from '../modules/events/event.entity';
import { RouterAssignmentEntity, RouterEntity } from '../modules/routers/router.entity';
import { ScheduleEntity } from '../modules/schedules/schedule.entity';
import { RefreshTokenEntity, SessionEntity } from '../modules/sessions/session.entity';
import { UserEntity } from '../modules/users/user.entity';

/** Every TypeORM entity of the controller (the typed shape of each table); each module adds its own here. */
export const entities: Function[] = [
  UserEntity, SessionEntity, RefreshTokenEntity, RecoveryCodeEntity,
  RouterEntity,
  RouterAssignmentEntity,
  BlockEntity,
  DeviceEntity,
  CommandEntity,
  ScheduleEntity,
  EventEntity,
];
