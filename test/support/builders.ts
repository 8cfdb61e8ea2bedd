import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import winston from 'winston';
import { createLogger, type Logger } from '@netpilot/service-kit';
import type { TokenPair } from '../../services/controller/src/modules/auth/auth.service';
import { toPublicUser, type PublicUser, type Role } from '../../services/controller/src/modules/users/user.entity';
import { PasswordHasher } from '../../services/controller/src/lib/passwords';
import type { TestStack } from './stack';

const cheapHasher = new PasswordHasher(4);

/** A username no other test uses (3-32 characters, the API's pattern). */
export function uniqueUsername(prefix = 'u'): string {
  return `${prefix}-${Date.now().toString(36)}${randomBytes(4).toString('hex')}`.slice(0, 32);
}

/** A password that passes the policy for any builder username. */
export function strongPassword(): string {
  return `Pw!${randomBytes(12).toString('base64url')}`;
}

/** A client address no other test uses, for `x-forwarded-for` in stacks with TRUST_PROXY=1. */
export function uniqueIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${(b[2] % 250) + 2}`;
}

export interface BuiltUser {
  user: PublicUser;
  username: string;
  password: string;
}

/** Inserts a user directly (no API call, no audit row), with a unique name. */
export async function buildUser(
  stack: Pick<TestStack, 'services'>,
  overrides: { username?: string; password?: string; role?: Role; disabled?: boolean; email?: string | null } = {},
): Promise<BuiltUser> {
  const username = overrides.username ?? uniqueUsername(overrides.role === 'admin' ? 'admin' : 'user');
  const password = overrides.password ?? strongPassword();
  let user = await stack.services.usersRepo.insert({
    username,
    email: overrides.email ?? null,
    passwordHash: await cheapHasher.hash(password),
    role: overrides.role ?? 'user',
  });
  if (overrides.disabled) user = await stack.services.usersRepo.update(user.id, { disabled: true });
  return { user: toPublicUser(user), username, password };
}

export const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

/** Logs in through the API and expects success. */
export async function loginAs(
  stack: Pick<TestStack, 'app'>,
  who: { username: string; password: string; totp?: string },
  headers: Record<string, string> = {},
): Promise<TokenPair> {
  const body: Record<string, string> = { username: who.username, password: who.password };
  if (who.totp !== undefined) body.totp = who.totp;
  const res = await request(stack.app).post('/api/v1/auth/login').set(headers).send(body);
  if (res.status !== 200) throw new Error(`login of ${who.username} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as TokenPair;
}

/** A user with a live session: the user, their password and their tokens. */
export async function buildSession(
  stack: Pick<TestStack, 'app' | 'services'>,
  overrides: Parameters<typeof buildUser>[1] = {},
): Promise<BuiltUser & { tokens: TokenPair; sessionId: string }> {
  const built = await buildUser(stack, overrides);
  const tokens = await loginAs(stack, built);
  return { ...built, tokens, sessionId: stack.services.accessTokens.verify(tokens.accessToken).sid };
}

/** A JSON logger at `level` whose every line (after redaction) lands in `lines` instead of the console. */
export function capturingLogger(level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level, format: 'json', service: 'test' });
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  logger.clear().add(new winston.transports.Stream({ stream: sink, level }));
  return { logger, lines };
}

/** Adds a router for a router simulator through the API, owned by `who` (linux-nft unless `extra` says otherwise); its id. */
export async function buildSimRouter(
  stack: Pick<TestStack, 'app'>,
  who: { tokens: TokenPair },
  sim: { host: string; port: number; username: string; password?: string },
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await request(stack.app)
    .post('/api/v1/routers')
    .set(bearer(who.tokens.accessToken))
    .send({ name: 'home', host: sim.host, port: sim.port, username: sim.username, password: sim.password ?? 'netpilot', platform: 'linux-nft', ...extra });
  if (res.status !== 201) throw new Error(`adding the simulator's router answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}
