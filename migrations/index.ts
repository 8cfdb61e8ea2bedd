import { Users1795305364080 } from './1795305364080-users';
import { Sessions1795305400000 } from './1795305400000-sessions';
import { RecoveryCodes1795305500000 } from './1795305500000-recovery-codes';
import { RateLimits1795305600000 } from './1795305600000-rate-limits';
import { AuditLog1795305700000 } from './1795305700000-audit-log';
import { Routers1795306000000 } from './1795306000000-routers';
import { RoutersListIndex1795307000000 } from './1795307000000-routers-list-index';
import { Convergence1795308000000 } from './1795308000000-convergence';
import { Schedules1795309000000 } from './1795309000000-schedules';
import { Events1795309100000 } from './1795309100000-events';
import { Retention1795310000000 } from './1795310000000-retention';
import { AuditSealing1795311000000 } from './1795311000000-audit-sealing';
import { Operations1795312000000 } from './1795312000000-operations';

/** Every migration, oldest first. New ones are appended here (timestamped files, SQL only, no entity imports). */
export const migrations = [
  Users1795305364080,
  Sessions1795305400000,
  RecoveryCodes1795305500000,
  RateLimits1795305600000,
  AuditLog1795305700000,
  Routers1795306000000,
  RoutersListIndex1795307000000,
  Convergence1795308000000,
  Schedules1795309000000,
  Events1795309100000,
  Retention1795310000000,
  AuditSealing1795311000000,
  Operations1795312000000,
];
