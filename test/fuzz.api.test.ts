import { appendFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import request from 'supertest';
import { startRouterSim, type RouterSim } from '@netpilot/router-sim';
import { ACTION_CATALOG, ACTION_NAMES, actionRequestSchema, sessionRequestSchema, toJsonSchema } from '@netpilot/contracts';
import { bearer, buildSession, buildUser, capturingLogger, loginAs, strongPassword, uniqueIp, type BuiltUser } from './support/builders';
import { checkResponses, recordingApp, type RecordedResponse } from './support/openapi';
import { listen, startStack, TEST_EXECUTOR_TOKEN, type TestStack } from './support/stack';
import { createApp as createControllerApp } from '../services/controller/src/app';
import {
  describeRequest,
  exampleOf,
  hostileHeader,
  hostileQueryValue,
  hostileSegment,
  mutateJson,
  mutateOpaque,
  OMIT,
  operationsFromOpenApi,
  Rng,
  runPool,
  seedFor,
  sendRaw,
  wireBody,
  type BodyRules,
  type Hint,
  type JsonSchema,
  type Operation,
  type RawAnswer,
  type RawRequest,
} from './support/fuzz';

/**
 * Thousands of malformed requests, built from the controller's OpenAPI document and the
 * executor's contracts, sent over real HTTP: whatever is wrong with a request, the answer is
 * a 4xx (or a success), never a 5xx, and both services are still healthy afterwards.
 *
 * Replay: the seed is printed; FUZZ_SEED=<seed> sends the same requests again,
 * FUZZ_COUNT=<controller>[,<executor>] changes how many, FUZZ_ONLY=c12,e7 sends only those.
 */

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const [CONTROLLER_COUNT, EXECUTOR_COUNT] = (() => {
  const [c, e] = (process.env.FUZZ_COUNT ?? '').split(',').map((n) => Number(n));
  const controller = Number.isFinite(c) && c >= 0 && process.env.FUZZ_COUNT ? c : 3000;
  return [controller, Number.isFinite(e) && e >= 0 ? e : Math.ceil(controller / 3)];
})();
/** FUZZ_LOG=<file>: one JSON line per request (id, route, mutations, status), to see what the fuzzer did. */
const LOG_FILE = process.env.FUZZ_LOG;
const ONLY = process.env.FUZZ_ONLY ? new Set(process.env.FUZZ_ONLY.split(',').map((s) => s.trim())) : null;
const IN_FLIGHT = 8;
const BATCH = 250;
const TIMEOUT_MS = 15_000;
const CONTROLLER_BODY_LIMIT = 100 * 1024;
const EXECUTOR_BODY_LIMIT = 64 * 1024;

type Session = Awaited<ReturnType<typeof buildSession>>;

interface Finding {
  id: string;
  target: 'controller' | 'executor';
  route: string;
  mutations: string[];
  request: RawRequest;
  answer: RawAnswer;
}

describe('fuzzing both services with malformed requests', () => {
  let stack: TestStack;
  let controller: Awaited<ReturnType<typeof listen>>;
  let sim: RouterSim;
  let logLines: string[];
  let fuzzRecorded: RecordedResponse[];
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const as = (s: Session) => bearer(s.tokens.accessToken);

  // Who sends requests, and the real rows some requests name.
  let alice: Session;
  let admin: Session;
  let routerToken: string;
  const pools = {
    /** alice's router on the simulator: actions on it reach a real (simulated) router. Never patched or deleted. */
    stableRouter: '',
    /** alice's routers that PATCH, DELETE, assignments and provision keys may change or remove. */
    scratchRouters: [] as string[],
    blockIds: [] as string[],
    victims: [] as BuiltUser[],
    victimSessions: [] as string[],
    /** alice's own other sessions (DELETE /auth/sessions/{id}) and their refresh tokens. */
    spareSessions: [] as string[],
    refreshTokens: [] as string[],
    /** Access tokens of those sessions: logout is sent with one, so alice's main session lives on. */
    spareAccessTokens: [] as string[],
    provisionKeys: [] as string[],
    /** Page cursors the API returned (routers, audit, commands), to be changed inside and sent back. */
    cursors: {} as Record<string, string>,
  };
  const executorSessions = { main: 'fz-main', spare: ['fz-spare-1', 'fz-spare-2', 'fz-spare-3'] };

  const findings: Finding[] = [];
  const noAnswer: Finding[] = [];
  const statusCounts = new Map<number, number>();
  let sent = 0;

  beforeAll(async () => {
    const captured = capturingLogger('error');
    logLines = captured.lines;
    stack = await startStack({ env: { TRUST_PROXY: '1' }, logger: captured.logger });
    // A second app on the stack's own services, so that fuzz answers stay out of the stack's
    // document check (which is about what well-formed test traffic gets); they are checked
    // against the document below, and what does not match is printed, not failed on.
    const fuzzApp = recordingApp(createControllerApp({ config: stack.config, logger: captured.logger, db: stack.db, executor: stack.executor }, stack.services));
    fuzzRecorded = fuzzApp.recorded;
    controller = await listen(fuzzApp.app);
    sim = await startRouterSim({ platform: 'linux-nft' });
    alice = await buildSession(stack);
    admin = await buildSession(stack, { role: 'admin' });
    const created = await request(stack.app).post('/api/v1/routers').set(as(alice)).send(routerBody('fz-stable'));
    expect(created.status).toBe(201);
    pools.stableRouter = created.body.id;
    const key = await request(stack.app).post(`/api/v1/routers/${pools.stableRouter}/provision-key`).set(as(alice));
    const registered = await request(stack.app).post('/api/v1/routers/register').set('x-forwarded-for', uniqueIp()).send({ provisionKey: key.body.provisionKey });
    expect(registered.status).toBe(201);
    routerToken = registered.body.routerToken;
    for (const ip of ['10.77.0.1', '10.77.0.2', '10.77.0.3']) {
      const b = await request(stack.app).post(`/api/v1/routers/${pools.stableRouter}/blocks`).set(as(alice)).send({ ip });
      expect(b.status).toBe(201);
    }
    if (LOG_FILE) writeFileSync(LOG_FILE, '');
    console.log(`fuzz seed ${SEED}: ${CONTROLLER_COUNT} controller and ${EXECUTOR_COUNT} executor requests (replay with FUZZ_SEED=${SEED})`);
  }, 60_000);

  afterAll(async () => {
    agent.destroy();
    await controller?.close();
    await sim?.close();
    await stack?.close();
  });

  function routerBody(name: string) {
    return { name, host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft' };
  }

  /** Between batches: principals signed in again if a request ended their session, rows made again if one removed them. */
  async function refreshPools(rng: Rng): Promise<void> {
    const ip = { 'x-forwarded-for': uniqueIp() };
    for (const who of [alice, admin]) {
      const me = await request(stack.app).get('/api/v1/auth/me').set(as(who));
      if (me.status !== 200) who.tokens = await loginAs(stack, who, ip);
    }
    const alive = async (table: string, ids: string[]) =>
      ids.length ? ((await stack.dataSource.query(`SELECT id FROM ${table} WHERE id = ANY($1)`, [ids])) as { id: string }[]).map((r) => r.id) : [];
    pools.scratchRouters = await alive('routers', pools.scratchRouters);
    while (pools.scratchRouters.length < 4) {
      const r = await request(stack.app).post('/api/v1/routers').set(as(alice)).send(routerBody(`fz-scratch-${rng.hex(6)}`));
      expect(r.status).toBe(201);
      pools.scratchRouters.push(r.body.id);
    }
    const keys = await Promise.all(pools.scratchRouters.map((id) => request(stack.app).post(`/api/v1/routers/${id}/provision-key`).set(as(alice))));
    pools.provisionKeys = keys.filter((k) => k.status === 201).map((k) => k.body.provisionKey as string);
    const blocks = await request(stack.app).get(`/api/v1/routers/${pools.stableRouter}/blocks`).set(as(alice));
    pools.blockIds = (blocks.body.items ?? blocks.body ?? []).map((b: { id: string }) => b.id).slice(0, 20);
    const liveVictims = new Set(await alive('users', pools.victims.map((v) => v.user.id)));
    pools.victims = pools.victims.filter((v) => liveVictims.has(v.user.id));
    while (pools.victims.length < 5) pools.victims.push(await buildUser(stack, { username: `fzv-${rng.hex(10)}` }));
    pools.victimSessions = [];
    for (const v of pools.victims.slice(0, 2)) {
      const t = await request(stack.app).post('/api/v1/auth/login').set(ip).send({ username: v.username, password: v.password });
      if (t.status === 200) pools.victimSessions.push(stack.services.accessTokens.verify(t.body.accessToken).sid);
    }
    pools.spareSessions = [];
    pools.refreshTokens = [];
    pools.spareAccessTokens = [];
    for (let i = 0; i < 3; i++) {
      const t = await loginAs(stack, alice, ip);
      pools.spareSessions.push(stack.services.accessTokens.verify(t.accessToken).sid);
      pools.refreshTokens.push(t.refreshToken);
      pools.spareAccessTokens.push(t.accessToken);
    }
    const pages: [string, request.Test][] = [
      ['/api/v1/routers', request(stack.app).get('/api/v1/routers?limit=1').set(as(alice))],
      ['/api/v1/audit', request(stack.app).get('/api/v1/audit?limit=1').set(as(admin))],
      ['/api/v1/routers/{id}/commands', request(stack.app).get(`/api/v1/routers/${pools.stableRouter}/commands?limit=1`).set(as(alice))],
    ];
    pools.cursors = {};
    for (const [template, page] of pages) {
      const next = (await page).body?.nextCursor;
      if (typeof next === 'string') pools.cursors[template] = next;
    }
    for (const sessionId of [executorSessions.main, ...executorSessions.spare]) {
      await request(stack.executorUrl).post('/api/session/start').set('authorization', `Bearer ${TEST_EXECUTOR_TOKEN}`).send({ sessionId }).expect(200);
    }
  }

  // --- valid values the schemas cannot make ---

  const randomIp = (rng: Rng) => `10.${rng.int(1, 250)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
  const randomMac = (rng: Rng) => ['02', rng.hex(2), rng.hex(2), rng.hex(2), rng.hex(2), rng.hex(2)].join(':');

  const FAKE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

  function controllerHint(op: Operation, rng: Rng): Hint {
    // Per request: a router body with a key instead of a password, a jump host or a tunnel.
    const useKey = rng.chance(0.15);
    const via = rng.pick(['direct', 'direct', 'direct', 'jump', 'tunnel']);
    return (path, schema) => {
      const key = path[path.length - 1];
      const inRouter = op.template === '/api/v1/routers' || (op.template === '/api/v1/routers/{id}' && op.method === 'PATCH');
      if (path[0] === 'jumpHost' && path.length > 1) {
        const jump: Record<string, unknown> = { host: '10.9.9.9', port: 2222, username: 'jump', password: strongPassword() };
        return key in jump ? jump[key] : OMIT;
      }
      switch (key) {
        case 'username':
          if (op.template.endsWith('/auth/login')) return rng.chance(0.5) ? rng.pick(pools.victims).username : `nobody-${rng.hex(6)}`;
          return inRouter ? sim.username : `fz-${rng.hex(8)}`;
        case 'password':
          if (op.template.endsWith('/auth/login')) return rng.chance(0.3) ? rng.pick(pools.victims).password : strongPassword();
          if (inRouter && useKey) return OMIT;
          return inRouter ? sim.password : strongPassword();
        case 'currentPassword':
        case 'newPassword':
          return strongPassword();
        case 'host':
          return sim.host;
        case 'port':
          return sim.port;
        case 'platform':
          return 'linux-nft';
        case 'name':
          return `fz-${rng.hex(6)}`;
        case 'privateKey':
          return useKey ? FAKE_KEY : OMIT;
        case 'passphrase':
          return useKey && rng.chance(0.5) ? 'fz-passphrase' : OMIT;
        case 'jumpHost':
          return via === 'jump' ? undefined : OMIT;
        case 'tunnelPort':
          return via === 'tunnel' ? rng.int(20000, 30000) : OMIT;
        case 'hostKeySha256':
          return rng.chance(0.1) ? `SHA256:${Buffer.from(rng.hex(32), 'hex').toString('base64').replace(/=+$/, '')}` : OMIT;
        case 'totp':
          return OMIT;
        case 'options':
          return rng.chance(0.3) ? { leasesPath: '/tmp/dhcp.leases' } : OMIT;
        case 'ip':
          return rng.chance(0.7) ? randomIp(rng) : OMIT;
        case 'mac':
          return op.template.endsWith('/blocks') && !rng.chance(0.3) ? OMIT : randomMac(rng);
        case 'lanAddress':
        case 'wanAddress':
          return randomIp(rng);
        case 'reason':
          return 'fuzz';
        case 'userId':
          return rng.pick(pools.victims).user.id;
        case 'provisionKey':
          return pools.provisionKeys.length && rng.chance(0.6) ? rng.pick(pools.provisionKeys) : `npk_${rng.hex(24)}`;
        case 'bootId':
          return `boot-${rng.hex(8)}`;
        case 'code':
          return String(rng.int(0, 999_999)).padStart(6, '0');
        case 'refreshToken':
          return pools.refreshTokens.length && rng.chance(0.5) ? rng.pick(pools.refreshTokens) : `rt_${rng.hex(40)}`;
        case 'role':
          return 'user';
        case 'actor':
          return rng.pick(pools.victims).username;
        case 'router':
          return pools.stableRouter;
        case 'action':
          return rng.pick(['router.create', 'block.create', 'auth.login']);
        case 'cursor':
          return pools.cursors[op.template] && rng.chance(0.3) ? pools.cursors[op.template] : OMIT;
        case 'extra':
          return { model: 'fz', uptime: rng.int(0, 1000), wifi: true };
        default:
          return schema.format === 'uuid' ? rng.uuid() : undefined;
      }
    };
  }

  /** The real row a path parameter names, chosen so that destructive routes only touch rows meant for them. */
  function controllerPathValue(op: Operation, name: string, rng: Rng): string {
    const t = op.template;
    if (name === 'userId') return rng.pick(pools.victims).user.id;
    if (name === 'blockId') return pools.blockIds.length ? rng.pick(pools.blockIds) : rng.uuid();
    if (t.startsWith('/api/v1/users/')) return rng.pick(pools.victims).user.id;
    if (t.startsWith('/api/v1/auth/sessions/')) return pools.spareSessions.length ? rng.pick(pools.spareSessions) : rng.uuid();
    if (t.startsWith('/api/v1/sessions/')) return pools.victimSessions.length ? rng.pick(pools.victimSessions) : rng.uuid();
    if (t.startsWith('/api/v1/routers/')) {
      const destructive = (t === '/api/v1/routers/{id}' && (op.method === 'PATCH' || op.method === 'DELETE')) || t.includes('/assignments') || t.endsWith('/provision-key');
      return destructive ? rng.pick(pools.scratchRouters) : pools.stableRouter;
    }
    return rng.uuid();
  }

  // --- one request ---

  interface Built {
    req: RawRequest;
    route: string;
    mutations: string[];
  }

  interface Target {
    name: 'controller' | 'executor';
    ops: Operation[];
    /** Valid values for this request's fields, drawn from its own PRNG. */
    hint(op: Operation, rng: Rng): Hint;
    pathValue(op: Operation, name: string, rng: Rng): string;
    auth(op: Operation, rng: Rng): Record<string, string>;
    bodyRules: BodyRules;
    limit: number;
    /** Other headers a well-formed request carries (x-forwarded-for behind the proxy). */
    baseHeaders(rng: Rng): Record<string, string>;
  }

  function build(target: Target, id: string, seed: number): Built {
    const rng = new Rng(seed);
    // Operations with more inputs get more requests: there is more to get wrong.
    const op = rng.weighted(target.ops, (o) => 1 + o.pathParams.length + o.query.length + (o.body ? 3 : 0));
    const hint = target.hint(op, rng);
    const r = rng.next();
    // Mostly one thing wrong at a time: a request with many faults is refused for the first one.
    const count = r < 0.05 ? 0 : r < 0.8 ? 1 : rng.int(2, 3);
    const kinds: string[] = [];
    for (let i = 0; i < count; i++) {
      const options = ['header', 'method', 'auth', 'wire'];
      if (op.pathParams.length) options.push('path', 'path');
      if (op.query.length) options.push('query', 'query');
      else options.push('query');
      if (op.body) options.push('body', 'body', 'body', 'wire');
      kinds.push(rng.pick(options));
    }
    // A cursor the API returned, changed inside: the one input that gets past validation to the queries.
    const realCursor = target.name === 'controller' && op.query.some((p) => p.name === 'cursor') ? pools.cursors[op.template] : undefined;
    if (realCursor && rng.chance(0.35)) kinds.push('cursor');
    const mutations: string[] = [];

    // path
    const segments: Record<string, string> = {};
    for (const p of op.pathParams) segments[p.name] = encodeURIComponent(target.pathValue(op, p.name, rng));
    for (let i = kinds.filter((k) => k === 'path').length; i > 0; i--) {
      const p = rng.pick(op.pathParams);
      const m = hostileSegment(rng, segments[p.name]);
      segments[p.name] = String(m.value);
      mutations.push(`path {${p.name}}: ${m.note}`);
    }
    let path = op.template.replace(/\{(\w+)\}/g, (_, n: string) => segments[n]);

    // query
    const pairs: [string, string][] = [];
    for (const q of op.query) {
      if (!q.required && !rng.chance(0.4)) continue;
      const v = exampleOf(q.schema, rng, hint, [q.name]);
      if (v !== OMIT) pairs.push([q.name, encodeURIComponent(String(v))]);
    }
    for (let i = kinds.filter((k) => k === 'query').length; i > 0; i--) {
      const q = op.query.length ? rng.pick(op.query) : { name: rng.pick(['limit', 'id', 'q', '__proto__', 'a']), schema: {} as JsonSchema, required: false };
      const how = rng.int(0, 5);
      if (how <= 2) {
        const m = hostileQueryValue(rng, q.schema);
        pairs.push([q.name, String(m.value)]);
        mutations.push(`query ${q.name}: ${m.note}`);
      } else if (how === 3) {
        pairs.push([q.name, '1'], [q.name, '2']);
        mutations.push(`query ${q.name} repeated`);
      } else if (how === 4) {
        pairs.push([rng.pick([`${q.name}[]`, `${q.name}[a]`, `${q.name}[__proto__]`, '', '%FF', 'zzz', q.name.toUpperCase()]), '1']);
        mutations.push(`query odd name for ${q.name}`);
      } else {
        for (let k = 0; k < 1000; k++) pairs.push([`p${k}`, 'x']);
        mutations.push('query with 1000 params');
      }
    }
    if (kinds.includes('cursor')) {
      const m = mutateOpaque(realCursor!, rng);
      const at = pairs.findIndex(([k]) => k === 'cursor');
      if (at >= 0) pairs.splice(at, 1);
      pairs.push(['cursor', encodeURIComponent(String(m.value))]);
      mutations.push(`query ${m.note}`);
    }
    if (pairs.length) path += `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;

    // headers and auth
    const headers: Record<string, string> = { 'x-request-id': `fz-${SEED}-${id}`, ...target.baseHeaders(rng), ...target.auth(op, rng) };
    for (const h of op.headers) if (rng.chance(0.3)) headers[h.name.toLowerCase()] = String(exampleOf(h.schema, rng, hint, [h.name]));
    for (let i = kinds.filter((k) => k === 'auth').length; i > 0; i--) {
      const other = rng.pick(['none', 'user', 'admin', 'router'] as const);
      const auth = target.name === 'executor' ? (other === 'none' ? {} : { authorization: `Bearer ${TEST_EXECUTOR_TOKEN}` }) : principalHeaders(other, op, rng);
      delete headers.authorization;
      Object.assign(headers, auth);
      mutations.push(`as ${other}`);
    }
    for (let i = kinds.filter((k) => k === 'header').length; i > 0; i--) {
      const m = hostileHeader(rng);
      Object.assign(headers, m.headers);
      mutations.push(m.note);
    }

    // body
    let body: Buffer | undefined;
    const bodyMutations = kinds.filter((k) => k === 'body').length;
    const wireMutation = kinds.includes('wire');
    if (op.body || wireMutation) {
      let value: unknown = op.body ? exampleOf(op.body.schema, rng, hint) : { a: 1 };
      if (op.body && !op.body.required && rng.chance(0.2) && !bodyMutations && !wireMutation) value = undefined;
      for (let i = 0; i < bodyMutations; i++) {
        const m = mutateJson(value, op.body?.schema, rng, target.bodyRules);
        value = m.value;
        mutations.push(`body ${m.note}`);
      }
      if (value !== undefined || wireMutation) {
        const json = JSON.stringify(value) ?? '';
        const wire = wireBody(json, rng, wireMutation, target.limit, { badBytesInValues: !target.bodyRules.sensitive });
        body = wire.body;
        Object.assign(headers, wire.headers);
        if (wire.note) mutations.push(`wire: ${wire.note}`);
      }
    }

    // method
    let method = op.method;
    if (kinds.includes('method')) {
      // Only methods the document does not declare for this path: a real DELETE on a real row is not a mutation.
      const declared = new Set(target.ops.filter((o) => o.template === op.template).map((o) => o.method));
      const others = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'M-SEARCH'].filter((m) => !declared.has(m) && !(m === 'HEAD' && declared.has('GET')));
      method = rng.pick(others);
      mutations.push(`method ${method}`);
    }
    return { req: { method, path, headers, body }, route: `${op.method} ${op.template}`, mutations };
  }

  function principalHeaders(who: 'none' | 'user' | 'admin' | 'router' | 'bogus', op: Operation, rng: Rng): Record<string, string> {
    // Logout is sent with one of alice's spare sessions, so that the main ones live on through the batch.
    if ((who === 'user' || who === 'admin') && op.template === '/api/v1/auth/logout' && pools.spareAccessTokens.length) return bearer(rng.pick(pools.spareAccessTokens));
    if (who === 'user') return as(alice);
    if (who === 'admin') return as(admin);
    if (who === 'router') return bearer(routerToken);
    if (who === 'bogus') return bearer(`${alice.tokens.accessToken.slice(0, -4)}AAAA`);
    return {};
  }

  async function fire(target: Target, baseUrl: string, count: number, prefix: string): Promise<void> {
    for (let start = 0; start < count; start += BATCH) {
      await refreshPools(new Rng(seedFor(SEED, `${prefix}-refresh`, start)));
      const n = Math.min(BATCH, count - start);
      await runPool(n, IN_FLIGHT, async (k) => {
        const id = `${prefix}${start + k}`;
        if (ONLY && !ONLY.has(id)) return;
        const built = build(target, id, seedFor(SEED, prefix, start + k));
        const began = performance.now();
        let answer = await sendRaw(baseUrl, built.req, agent, TIMEOUT_MS);
        // A kept-alive socket the server had closed: send once more on a fresh connection.
        if (answer.transportError && !answer.transportError.startsWith('client refused')) answer = await sendRaw(baseUrl, built.req, false, TIMEOUT_MS);
        sent++;
        statusCounts.set(answer.status, (statusCounts.get(answer.status) ?? 0) + 1);
        if (LOG_FILE) appendFileSync(LOG_FILE, `${JSON.stringify({ id, route: built.route, mutations: built.mutations, status: answer.status, ms: Math.round(performance.now() - began), code: answer.body.slice(0, 120), request: describeRequest(built.req, 200) })}\n`);
        const finding: Finding = { id, target: target.name, route: built.route, mutations: built.mutations, request: built.req, answer };
        if (answer.status >= 500) findings.push(finding);
        else if (answer.transportError && !answer.transportError.startsWith('client refused')) noAnswer.push(finding);
      });
    }
  }

  function report(list: Finding[]): string {
    const groups = new Map<string, Finding[]>();
    for (const f of list) {
      let code = '';
      try {
        const body = JSON.parse(f.answer.body) as { error?: { code?: string } };
        code = body.error?.code ?? '';
      } catch {
        code = f.answer.transportError ?? f.answer.body.slice(0, 40);
      }
      const key = `${f.target} ${f.route} → ${f.answer.status || 'no answer'} ${code}`;
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    const out: string[] = [];
    for (const [key, items] of groups) {
      out.push(`${key} (${items.length}×)`);
      for (const f of items.slice(0, 5)) {
        const requestId = f.request.headers['x-request-id'];
        const logged = logLines.filter((l) => requestId && l.includes(requestId)).map((l) => l.slice(0, 1500));
        out.push(`  ${f.id} [${f.mutations.join(' | ') || 'no mutation'}]`);
        out.push(`    ${describeRequest(f.request)}`);
        out.push(`    → ${f.answer.status} ${f.answer.transportError ?? f.answer.body.slice(0, 400)}`);
        for (const l of logged) out.push(`    log: ${l.trim()}`);
      }
      if (items.length > 5) out.push(`  … and ${items.length - 5} more: ${items.slice(5).map((f) => f.id).join(', ')}`);
    }
    return `${out.join('\n')}\n(seed ${SEED}: replay with FUZZ_SEED=${SEED} FUZZ_ONLY=<ids>)`;
  }

  test('when thousands of malformed requests built from the OpenAPI document reach the controller, then none is answered with a 5xx', async () => {
    const doc = (await request(stack.app).get('/api/v1/openapi.json')).body as Record<string, unknown>;
    const ops = operationsFromOpenApi(doc);
    expect(ops.length).toBeGreaterThan(30);
    const target: Target = {
      name: 'controller',
      ops,
      hint: controllerHint,
      pathValue: controllerPathValue,
      auth(op, rng) {
        const r = rng.next();
        if (op.security === 'public') return principalHeaders(r < 0.7 ? 'none' : r < 0.9 ? 'user' : 'admin', op, rng);
        if (op.security === 'routerToken') return principalHeaders(r < 0.7 ? 'router' : r < 0.85 ? 'user' : 'none', op, rng);
        // A route that can answer 403 is often for admins: they get half of its requests.
        const userShare = op.statuses.includes(403) ? 0.35 : 0.55;
        return principalHeaders(r < userShare ? 'user' : r < 0.9 ? 'admin' : r < 0.96 ? 'none' : 'bogus', op, rng);
      },
      bodyRules: {},
      limit: CONTROLLER_BODY_LIMIT,
      // Most requests come from their own address, so the per-address limits of anonymous routes do not answer them all with 429.
      baseHeaders: (rng): Record<string, string> => (rng.chance(0.9) ? { 'x-forwarded-for': randomIp(rng) } : {}),
    };
    const before = sent;
    await fire(target, controller.url, CONTROLLER_COUNT, 'c');
    console.log(`controller: ${sent - before} requests, statuses ${JSON.stringify(Object.fromEntries([...statusCounts].sort(([a], [b]) => a - b)))}`);
    const undocumented = [...new Set(checkResponses(doc, fuzzRecorded))];
    if (undocumented.length) {
      // Mostly 413/415 from the body parser on routes that take no body: one line per status, not one per route.
      const byStatus = new Map<string, string[]>();
      for (const line of undocumented) {
        const m = /^(\S+ \S+) answered (\d+), which the document does not list$/.exec(line);
        const key = m ? m[2] : 'other';
        byStatus.set(key, [...(byStatus.get(key) ?? []), m ? m[1] : line.slice(0, 160)]);
      }
      console.log(`fuzz answers the OpenAPI document does not list (noted, not failed on here):\n${[...byStatus].map(([k, v]) => `  ${k} (${v.length} routes): ${v.join(', ')}`).join('\n')}`);
    }
    const mine = findings.filter((f) => f.target === 'controller');
    const silent = noAnswer.filter((f) => f.target === 'controller');
    expect(mine.length ? report(mine) : 'no 5xx').toBe('no 5xx');
    expect(silent.length ? report(silent) : 'every request answered').toBe('every request answered');
  }, 120_000);

  test('when malformed requests built from the contracts reach the executor, then none is answered with a 5xx', async () => {
    statusCounts.clear();
    const catalog = Object.fromEntries(ACTION_NAMES.map((name) => [name, toJsonSchema(ACTION_CATALOG[name].params) as JsonSchema]));
    const actionBody = (name: string): JsonSchema => {
      const s = toJsonSchema(actionRequestSchema) as JsonSchema;
      return { ...s, properties: { ...s.properties, params: catalog[name] } };
    };
    const op = (method: string, template: string, security: Operation['security'], body?: JsonSchema, pathParams: string[] = []): Operation => ({
      method,
      template,
      pathParams: pathParams.map((name) => ({ name, schema: { type: 'string' }, required: true })),
      query: [],
      headers: [],
      body: body ? { schema: body, required: true } : undefined,
      security,
      statuses: [200, 400, 401, 404],
    });
    // The executor has no OpenAPI document: its routes (app.ts, sessions.routes.ts, actions.routes.ts) and the contracts' schemas.
    const actionOps = ACTION_NAMES.map((name) => ({ ...op('POST', '/api/actions/{name}', 'bearer', actionBody(name), ['name']), action: name }));
    const ops: Operation[] = [
      op('GET', '/healthz', 'public'),
      op('GET', '/metrics', 'bearer'),
      op('GET', '/api/actions', 'bearer'),
      op('POST', '/api/session/start', 'bearer', toJsonSchema(sessionRequestSchema) as JsonSchema),
      op('POST', '/api/session/end', 'bearer', toJsonSchema(sessionRequestSchema) as JsonSchema),
      ...actionOps,
      ...actionOps,
    ];
    const actionOf = (o: Operation) => (o as Operation & { action?: string }).action;
    const CONNECTION = new Set(['host', 'port', 'username', 'password', 'platform', 'options', 'privateKey', 'passphrase', 'hostKeySha256', 'jumpHost']);
    const target: Target = {
      name: 'executor',
      ops,
      hint: (o, rng) => (path) => {
        const key = path[path.length - 1];
        if (path[0] === 'router') {
          if (path.length === 1) return undefined;
          const simTarget: Record<string, unknown> = { id: `fz-router-${rng.hex(4)}`, host: sim.host, port: sim.port, username: sim.username, password: sim.password, platform: 'linux-nft' };
          return key in simTarget ? simTarget[key] : OMIT;
        }
        if (key === 'sessionId') return o.template === '/api/session/end' ? rng.pick(executorSessions.spare) : rng.chance(0.9) ? executorSessions.main : `fz-${rng.hex(8)}`;
        if (path[0] === 'params' && path.length === 1) {
          const name = actionOf(o);
          if (name === 'block' || name === 'unblock') return rng.chance(0.7) ? { ip: randomIp(rng) } : { mac: randomMac(rng) };
          return rng.chance(0.8) ? {} : OMIT;
        }
        return undefined;
      },
      pathValue: (o) => actionOf(o) ?? 'ping',
      auth(o, rng): Record<string, string> {
        if (o.security === 'public') return {};
        const r = rng.next();
        return r < 0.85 ? { authorization: `Bearer ${TEST_EXECUTOR_TOKEN}` } : r < 0.93 ? {} : { authorization: `Bearer ${TEST_EXECUTOR_TOKEN.slice(0, -1)}x` };
      },
      // A different but valid host, port, account or platform would send real SSH traffic elsewhere (a 502 by design): only invalid values there.
      bodyRules: { sensitive: (path) => path[0] === 'router' && path.length >= 2 && CONNECTION.has(path[1]) },
      limit: EXECUTOR_BODY_LIMIT,
      baseHeaders: () => ({}),
    };
    const before = sent;
    await fire(target, stack.executorUrl, EXECUTOR_COUNT, 'e');
    console.log(`executor: ${sent - before} requests, statuses ${JSON.stringify(Object.fromEntries([...statusCounts].sort(([a], [b]) => a - b)))}`);
    const mine = findings.filter((f) => f.target === 'executor');
    const silent = noAnswer.filter((f) => f.target === 'executor');
    expect(mine.length ? report(mine) : 'no 5xx').toBe('no 5xx');
    expect(silent.length ? report(silent) : 'every request answered').toBe('every request answered');
  }, 120_000);

  test('when the fuzzing is over, then the controller and the executor both still answer /healthz', async () => {
    const c = await sendRaw(controller.url, { method: 'GET', path: '/healthz', headers: {} }, false, TIMEOUT_MS);
    const e = await sendRaw(stack.executorUrl, { method: 'GET', path: '/healthz', headers: {} }, false, TIMEOUT_MS);
    expect([c.status, e.status]).toEqual([200, 200]);
  });
});
