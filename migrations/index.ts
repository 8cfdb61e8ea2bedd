import { Users1795305364080 } from './1795305364080-users';

/** Every migration, oldest first. New ones are appended here (timestamped files, SQL only, no entity imports). */
export const migrations = [Users1795305364080];
