import { databaseUnavailableError, isDatabaseUnavailable } from './errors';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('database outage errors', () => {
  test('when the server shut down, restarts or refuses connections, then it is an outage', () => {
    for (const err of [
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('57P03', 'the database system is starting up'),
      pgError('08006'),
      pgError('53300'),
      pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      expect(isDatabaseUnavailable(err)).toBe(true);
    }
  });

  test('when a query is wrong or data is bad, then it is not an outage', () => {
    for (const err of [pgError('42601', 'syntax error'), pgError('23505', 'duplicate key'), pgError('22P02'), new Error('boom'), null, 'text']) {
      expect(isDatabaseUnavailable(err)).toBe(false);
    }
  });

  test('when the error is an outage, then the answer is 503 DATABASE_UNAVAILABLE with Retry-After', () => {
    const e = databaseUnavailableError(pgError('57P01'));
    expect(e).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', headers: { 'Retry-After': '5' } });
    expect(databaseUnavailableError(pgError('42601'))).toBeNull();
  });
});
