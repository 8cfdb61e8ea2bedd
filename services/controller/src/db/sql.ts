import type { Pool, PoolClient, QueryConfig } from 'pg';

/** Anything that runs one statement: the pool-backed Sql, or an open transaction. */
export interface Queryable {
  /**
   * The rows of one statement. `name` makes it a named (server-side prepared) statement,
   * parsed once per connection: for the hot paths.
   */
  query<T = Record<string, unknown>>(text: string, values?: unknown[], name?: string): Promise<T[]>;
}

/**
 * An open transaction, passed from a service to the repositories it calls so that a state
 * change and its audit record commit (or roll back) together. Services treat it as opaque.
 */
export interface Tx extends Queryable {
  readonly inTransaction: true;
}

export type Transactor = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

function config(text: string, values: unknown[] | undefined, name: string | undefined): QueryConfig {
  return name ? { name, text, values } : { text, values };
}

class ClientTx implements Tx {
  readonly inTransaction = true as const;
  constructor(private readonly client: PoolClient) {}

  async query<T>(text: string, values?: unknown[], name?: string): Promise<T[]> {
    return (await this.client.query(config(text, values, name))).rows as T[];
  }
}

/** The one query helper of the controller's repositories: parameterised SQL on the process's pg pool. */
export class Sql implements Queryable {
  constructor(readonly pool: Pool) {}

  async query<T = Record<string, unknown>>(text: string, values?: unknown[], name?: string): Promise<T[]> {
    return (await this.pool.query(config(text, values, name))).rows as T[];
  }

  /** The first row, or null. */
  async one<T = Record<string, unknown>>(text: string, values?: unknown[], name?: string): Promise<T | null> {
    return (await this.query<T>(text, values, name))[0] ?? null;
  }

  /**
   * Runs `work` in one READ COMMITTED transaction on a pooled connection: committed when it
   * resolves, rolled back when it throws. A connection that cannot even roll back is
   * dropped rather than returned to the pool mid-transaction.
   */
  readonly transaction: Transactor = async (work) => {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(new ClientTx(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  };

  /**
   * Statements sent as one simple-protocol message on one connection (one round trip), e.g.
   * `BEGIN; SELECT ...;`. Only constants: the simple protocol carries no parameters. The
   * connection stays checked out for `work`, which must end the transaction it began.
   */
  async withClient<T>(work: (client: Pick<PoolClient, 'query'>) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }
}
