import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { migrations } from '../../../../migrations';
import { entities } from './entities';

/** The controller's TypeORM data source over pg; schema changes only by migrations. */
export function createDataSource(url: string, opts: { poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: opts.poolSize ?? 20, connectionTimeoutMillis: 5000 },
  });
}

/** Applies every pending migration; returns their names. */
export async function migrateUp(ds: DataSource): Promise<string[]> {
  const ran = await ds.runMigrations({ transaction: 'each' });
  return ran.map((m) => m.name);
}
