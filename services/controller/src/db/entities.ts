import { RecoveryCodeEntity } from '../modules/auth/recovery-code.entity';
import { RefreshTokenEntity, SessionEntity } from '../modules/sessions/session.entity';
import { UserEntity } from '../modules/users/user.entity';
import { BlockEntity, CommandEntity, DeviceEntity, RouterAssignmentEntity, RouterEntity } from '../modules/routers/router.entity';

/** Every TypeORM entity of the controller; each module adds its own here. */
export const entities: Function[] = [
  UserEntity, SessionEntity, RefreshTokenEntity, RecoveryCodeEntity,
  RouterEntity,
  RouterAssignmentEntity,
  BlockEntity,
  DeviceEntity,
  CommandEntity,
];
