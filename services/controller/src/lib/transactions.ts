import type { DataSource, EntityManager } from 'typeorm';

/**
 * An open database transaction, passed from a service to the repositories it calls so that
 * a state change and its audit record commit (or roll back) together. Services treat it as
 * opaque; only repositories use it.
 */
export type Tx = EntityManager;

export type Transactor = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

/** Runs `work` in one READ COMMITTED transaction on `ds`. */
export function transactor(ds: DataSource): Transactor {
  return (work) => ds.transaction(work);
}
