import http from 'node:http';
import zlib from 'node:zlib';

/**
 * Deterministic request fuzzing: a seeded PRNG, valid values made from JSON schemas (the
 * OpenAPI document's, or the contracts' for the executor), hostile mutations of params,
 * query, headers and bodies, and a raw HTTP sender that sends bytes exactly as built
 * (supertest and fetch would normalise the very mistakes we want to send).
 */

// --- PRNG ---

/** mulberry32: a tiny, fast 32-bit PRNG; the same seed gives the same sequence. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of request `index` of `stream`: each request can be rebuilt alone from the run's seed. */
export function seedFor(seed: number, stream: string, index: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (const ch of `${stream}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** One of `items`, each as likely as its weight. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return items[items.length - 1];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)];
    return s;
  }
  /** A well-formed v4 UUID that no row has. */
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }
}

// --- operations ---

export interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  nullable?: boolean;
}

export interface Param {
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/** One method on one path, as the fuzzer needs it. */
export interface Operation {
  method: string;
  /** `/api/v1/routers/{id}` style. */
  template: string;
  pathParams: Param[];
  query: Param[];
  headers: Param[];
  body?: { schema: JsonSchema; required: boolean };
  security: 'public' | 'bearer' | 'routerToken';
  /** The statuses the document lists (403 hints at a role or an owner check). */
  statuses: number[];
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  security?: Record<string, unknown>[];
  responses?: Record<string, unknown>;
}

/** Every operation of an OpenAPI 3 document (paths, parameters, JSON bodies, security). */
export function operationsFromOpenApi(doc: Record<string, unknown>): Operation[] {
  const paths = doc.paths as Record<string, Record<string, OpenApiOperation>>;
  const ops: Operation[] = [];
  for (const [template, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (where: string): Param[] =>
        (op.parameters ?? []).filter((p) => p.in === where).map((p) => ({ name: p.name, schema: p.schema ?? {}, required: !!p.required }));
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const sec = op.security ?? (doc.security as Record<string, unknown>[] | undefined) ?? [];
      ops.push({
        method: method.toUpperCase(),
        template,
        pathParams: params('path'),
        query: params('query'),
        headers: params('header'),
        body: bodySchema ? { schema: bodySchema, required: !!op.requestBody?.required } : undefined,
        security: sec.length === 0 ? 'public' : sec.some((s) => 'routerToken' in s) ? 'routerToken' : 'bearer',
        statuses: Object.keys(op.responses ?? {}).map(Number),
      });
    }
  }
  return ops;
}

// --- valid values ---

/** A hint returns a value for a field, OMIT to leave an optional field out, or undefined to let the schema decide. */
export const OMIT = Symbol('omit');
export type Hint = (path: readonly string[], schema: JsonSchema) => unknown;

/** A value that should pass `schema`, with `hint` supplying what a schema cannot (patterns, real ids). */
export function exampleOf(schema: JsonSchema, rng: Rng, hint: Hint, path: readonly string[] = []): unknown {
  const hinted = hint(path, schema);
  if (hinted !== undefined) return hinted;
  if (schema.enum?.length) return rng.pick(schema.enum.filter((v) => v !== null));
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt?.length) return exampleOf(alt[0], rng, hint, path);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set(schema.required ?? []);
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        // A hint decides for itself whether an optional field is there (OMIT); otherwise half the time.
        const hinted = hint([...path, key], sub);
        if (hinted === undefined && !required.has(key) && !rng.chance(0.5)) continue;
        const v = hinted !== undefined ? hinted : exampleOf(sub, rng, hint, [...path, key]);
        if (v !== OMIT) out[key] = v;
      }
      return out;
    }
    case 'array':
      return schema.items ? [exampleOf(schema.items, rng, hint, [...path, '0'])] : [];
    case 'integer':
    case 'number': {
      if (schema.default !== undefined && rng.chance(0.3)) return schema.default;
      const lo = schema.minimum ?? 0;
      const hi = Math.min(schema.maximum ?? 1000, lo + 1000);
      return schema.type === 'integer' ? rng.int(lo, hi) : lo + rng.next() * (hi - lo);
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'string':
    default: {
      if (schema.format === 'uuid') return rng.uuid();
      if (schema.format === 'date-time') return new Date(Date.UTC(2020, 0, 1) + rng.int(0, 2e9) * 1000).toISOString();
      if (schema.format === 'email') return `fz${rng.hex(6)}@example.com`;
      const min = Math.max(schema.minLength ?? 1, 1);
      const max = Math.min(schema.maxLength ?? 24, 24);
      return `fz${rng.hex(Math.max(min, Math.min(max, 8)))}`.slice(0, Math.max(min, max));
    }
  }
}

// --- hostile values ---

/** Lone surrogates: JSON.stringify writes them as `\ud800` escapes, so the body is plain ASCII JSON. */
const SURROGATES = ['\ud800', 'a\udc00b', 'x\udbff', '\udc00\ud800', `name-\ud83d`];
const NULS = ['\u0000', 'a\u0000b', 'abc\u0000', '\u0000'.repeat(64)];
const ODD_UNICODE = ['\u202eevil', '\ufeffbom', 'zero\u200bwidth', '１２３', 'e\u0301\u0301\u0301', '\uffff', '\u{1f600}', 'ǅ', 'İı', '\u0085nel', 'a\r\nb', '\t'];
const INJECTIONS = ["' OR 1=1 --", '"; DROP TABLE routers; --', '${7*7}', '{{7*7}}', '../../../etc/passwd', '<script>alert(1)</script>', '$(reboot)', '; reboot', '`id`', '%s%s%n', '\\', '%00', '%', 'null', 'undefined', '[object Object]', '__proto__', 'constructor'];
const BAD_DATES = ['2024-02-30T00:00:00Z', '0000-00-00T00:00:00Z', '-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00Z', '+275760-09-13T00:00:00.001Z', 'yesterday', '9999-12-31T23:59:60Z', '2024-01-01T25:00:00Z', '2024-01-01T00:00:00+99:99', '1969-12-31T23:59:59Z', '0001-01-01', '99999-01-01', 'NaN', '1e10', '2024-W01'];
const ODD_NUMBERS = [-1, 0, -0, 1.5, 0.1, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e21, 1e308, -1e308, 5e-324, 65536, 99999999999];
const NUMBERISH = ['', ' ', '1', ' 5 ', '1e3', '0x10', '1_000', 'Infinity', '-Infinity', 'NaN', '+1', '-0', '08', '1,5', '١٢٣', '9'.repeat(400)];
const IPISH = ['256.1.1.1', '1.2.3', '::', '::1', 'fe80::1%eth0', '010.0.0.1', '0x7f.1', '1.2.3.4/33', '10.0.0.1\n', ' 10.0.0.1', '127.0.0.1', '0.0.0.0', '255.255.255.255', '::ffff:127.0.0.1', '1:2:3:4:5:6:7:8:9', 'aa:bb:cc:dd:ee:fg', 'ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:01', 'aa-bb:cc-dd:ee-ff'];

function deep(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = kind === 'array' ? [] : {};
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

export interface Mutated {
  value: unknown;
  note: string;
}

/**
 * A hostile replacement for one value. With `invalidOnly` it is one that no string, number,
 * enum or object schema accepts (used where a valid-but-different value would send real
 * traffic somewhere else: the executor's SSH target).
 */
export function hostileValue(rng: Rng, schema: JsonSchema, opts: { invalidOnly?: boolean; hugeMax?: number } = {}): Mutated {
  const hugeMax = opts.hugeMax ?? 120_000;
  const isNumber = schema.type === 'integer' || schema.type === 'number';
  if (opts.invalidOnly) {
    const choices: (() => Mutated)[] = [
      () => ({ value: null, note: 'null' }),
      () => ({ value: rng.pick([[], ['x'], [1, 2]]), note: 'array' }),
      () => ({ value: rng.pick([{}, { a: 1 }, { $gt: '' }]), note: 'object' }),
      () => ({ value: rng.pick(NULS), note: 'NUL' }),
      () => ({ value: rng.pick(SURROGATES), note: 'lone surrogate' }),
      () => ({ value: 'x'.repeat(rng.pick([70_000, 110_000])), note: 'huge string' }),
    ];
    if (isNumber) choices.push(() => ({ value: rng.pick([-1, 0, 65536, 1.5, -(2 ** 40), 'abc', 'NaN', '1_000', true, false]), note: 'invalid number' }));
    else if (schema.type !== 'object') choices.push(() => ({ value: rng.pick([123, -1, 1.5, true, false, '']), note: 'number/bool/empty for string' }));
    return rng.pick(choices)();
  }
  const choices: (() => Mutated)[] = [
    () => ({ value: rng.pick(ODD_NUMBERS), note: 'odd number' }),
    () => ({ value: rng.pick(NUMBERISH), note: 'numberish string' }),
    () => ({ value: rng.chance(0.5), note: 'boolean' }),
    () => ({ value: null, note: 'null' }),
    () => ({ value: rng.pick([[], [null], ['a', 'b'], [[[]]], new Array(rng.int(2, 500)).fill(1)]), note: 'array' }),
    () => ({ value: rng.pick<Record<string, unknown>>([{}, { a: 1 }, { $ne: null }, { toString: 'x' }, { length: 1e9 }]), note: 'object' }),
    () => ({ value: rng.pick(NULS), note: 'NUL' }),
    () => ({ value: rng.pick(SURROGATES), note: 'lone surrogate' }),
    () => ({ value: rng.pick(ODD_UNICODE), note: 'odd unicode' }),
    () => ({ value: rng.pick(INJECTIONS), note: 'injection text' }),
    () => ({ value: rng.pick(BAD_DATES), note: 'bad date' }),
    () => ({ value: rng.pick(IPISH), note: 'odd address' }),
    () => ({ value: rng.pick(['a', 'é', '\u{1f600}']).repeat(rng.pick([33, 65, 256, 1025, 5000, 20_000, hugeMax])), note: 'long string' }),
    () => ({ value: deep(rng.int(20, 2000), rng.pick(['array', 'object'] as const)), note: 'deeply nested' }),
    () => ({ value: '', note: 'empty string' }),
  ];
  if (schema.format === 'uuid') {
    choices.push(() => ({
      value: rng.pick([rng.uuid(), rng.uuid().toUpperCase(), '00000000-0000-0000-0000-000000000000', rng.uuid().replace(/-/g, ''), `{${rng.uuid()}}`, `${rng.uuid().slice(0, 14)}1${rng.uuid().slice(15)}`]),
      note: 'other uuid',
    }));
  }
  if (schema.enum) choices.push(() => ({ value: rng.pick(schema.enum!.map((v) => (typeof v === 'string' ? rng.pick([v.toUpperCase(), ` ${v}`, `${v}\u0000`]) : v))), note: 'enum variant' }));
  return rng.pick(choices)();
}

// --- bodies ---

type Path = string[];

function getAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) v = (v as Record<string, unknown>)?.[k];
  return v;
}

function schemaAt(schema: JsonSchema | undefined, path: Path): JsonSchema {
  let s: JsonSchema | undefined = schema;
  for (const k of path) {
    if (!s) return {};
    s = s.anyOf?.[0] ?? s;
    s = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : s.items);
  }
  return s ?? {};
}

/** Every path in `value` (objects and arrays, to depth 4), the root excluded. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (prefix.length >= 4 || value === null || typeof value !== 'object') return out;
  for (const k of Object.keys(value)) {
    out.push([...prefix, k]);
    pathsOf((value as Record<string, unknown>)[k], [...prefix, k], out);
  }
  return out;
}

/** Sets an own enumerable key, even `__proto__`, so JSON.stringify writes it. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

const EXTRA_KEYS = ['zzz', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', 'a\u0000b', '\ud800', 'x'.repeat(300), '$where', 'id', 'role', 'isAdmin', 'ownerId'];

export interface BodyRules {
  /** Fields whose valid-but-different values or absence would change where real traffic goes: only invalid values there. */
  sensitive?: (path: readonly string[]) => boolean;
}

/** Mutates a JSON body in place (one change); returns the new root (it may be replaced) and what was done. */
export function mutateJson(root: unknown, schema: JsonSchema | undefined, rng: Rng, rules: BodyRules = {}): Mutated {
  const sensitive = rules.sensitive ?? (() => false);
  const paths = pathsOf(root);
  const r = rng.next();
  if (paths.length && r < 0.55) {
    const path = rng.pick(paths);
    const invalidOnly = sensitive(path);
    const m = hostileValue(rng, schemaAt(schema, path), { invalidOnly });
    const parent = getAt(root, path.slice(0, -1)) as Record<string, unknown>;
    parent[path[path.length - 1]] = m.value;
    return { value: root, note: `${path.join('.')}: ${m.note}` };
  }
  if (paths.length && r < 0.7) {
    const candidates = paths.filter((p) => !sensitive(p));
    if (candidates.length) {
      const path = rng.pick(candidates);
      const parent = getAt(root, path.slice(0, -1)) as Record<string, unknown>;
      if (Array.isArray(parent)) parent.splice(Number(path[path.length - 1]), 1);
      else delete parent[path[path.length - 1]];
      return { value: root, note: `${path.join('.')}: missing` };
    }
  }
  if (root !== null && typeof root === 'object' && r < 0.85) {
    const objects = [[] as Path, ...paths.filter((p) => { const v = getAt(root, p); return v !== null && typeof v === 'object' && !Array.isArray(v); })];
    const at = rng.pick(objects);
    const target = getAt(root, at) as Record<string, unknown>;
    // An optional field of the schema the body left out, or a key nobody declared.
    const declared = Object.keys(schemaAt(schema, at).properties ?? {}).filter((k) => !(k in target));
    if (declared.length && rng.chance(0.5)) {
      const key = rng.pick(declared);
      const m = hostileValue(rng, schemaAt(schema, [...at, key]), { invalidOnly: sensitive([...at, key]) });
      target[key] = m.value;
      return { value: root, note: `${[...at, key].join('.')}: optional field, ${m.note}` };
    }
    const key = rng.pick(EXTRA_KEYS);
    if (sensitive([...at, key])) return { value: root, note: 'unchanged' };
    setOwn(target, key, rng.pick([1, 'x', null, { admin: true }, [1]]));
    return { value: root, note: `extra field ${JSON.stringify(key).slice(0, 20)} at ${at.join('.') || 'root'}` };
  }
  const m = hostileValue(rng, schema ?? {}, { invalidOnly: sensitive([]) });
  return { value: m.value, note: `whole body: ${m.note}` };
}

export interface WireBody {
  body: Buffer;
  headers: Record<string, string>;
  note: string | null;
}

const MULTIPART = (b: string) => Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="username"\r\n\r\nadmin\r\n--${b}\r\nContent-Disposition: form-data; name="x"; filename="../../a.json"\r\nContent-Type: application/json\r\n\r\n{"a":1}\r\n--${b}`);

/**
 * The bytes of a body and their headers; with `mutate`, something wrong on the wire:
 * content type, charset, encoding, bytes that are not UTF-8, JSON that is not JSON.
 */
export function wireBody(json: string, rng: Rng, mutate: boolean, limitBytes: number, opts: { badBytesInValues?: boolean } = {}): WireBody {
  const plain = (body: Buffer | string, type = 'application/json', note: string | null = null): WireBody => ({
    body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    headers: type ? { 'content-type': type } : {},
    note,
  });
  if (!mutate) return plain(json);
  const kinds: (() => WireBody)[] = [
    () => plain(json, rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', '*/*', 'application/json-patch+json', 'application/vnd.api+json', 'APPLICATION/JSON', 'application/json ; foo=bar', 'application/json, text/plain', 'a/b/c;;;', ';', 'application/json; charset=', 'application/json; charset="utf-8', 'application/json; boundary=x']), 'content-type'),
    () => plain(json, rng.pick(['application/json; charset=utf-16', 'application/json; charset=latin1', 'application/json; charset=utf-7', 'application/json; charset=bogus', 'application/json; charset=UTF-8']), 'charset'),
    () => plain(json, '', 'no content-type'),
    () => plain(rng.pick(['username=admin&password=x&role=admin', 'a[b][c]=1&a[b][c]=2', 'a=%FF%FE', '%%%', '='.repeat(1000)]), 'application/x-www-form-urlencoded', 'form body'),
    () => {
      const b = rng.pick(['xyz', '', '-'.repeat(200), 'a"b']);
      return plain(MULTIPART(b), rng.pick([`multipart/form-data; boundary=${b}`, 'multipart/form-data', 'multipart/mixed; boundary=zzz']), 'multipart garbage');
    },
    () => {
      const enc = rng.pick(['gzip', 'deflate', 'br', 'compress', 'x-foo', 'gzip, gzip', 'identity', 'GZIP', 'gzip, br']);
      return { ...plain(json), headers: { 'content-type': 'application/json', 'content-encoding': enc }, note: `plain body with content-encoding ${enc}` };
    },
    () => {
      const enc = rng.pick(['gzip', 'deflate', 'br'] as const);
      const raw = Buffer.from(json);
      const z = enc === 'gzip' ? zlib.gzipSync(raw) : enc === 'deflate' ? zlib.deflateSync(raw) : zlib.brotliCompressSync(raw);
      const truncated = rng.chance(0.4);
      return { body: truncated ? z.subarray(0, Math.max(1, z.length >> 1)) : z, headers: { 'content-type': 'application/json', 'content-encoding': enc }, note: `${truncated ? 'truncated ' : ''}${enc} body` };
    },
    () => {
      // Small on the wire, far over the limit once inflated.
      const bomb = zlib.gzipSync(Buffer.from(`{"a":"${'0'.repeat(limitBytes * rng.pick([2, 20]))}"}`));
      return { body: bomb, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, note: 'gzip bomb' };
    },
    () => plain(rng.pick(['', ' ', 'null', '[]', '"str"', '123', 'true', '{', '{"a":', '{"a":1}}', '{"a":1,}', "{'a':1}", '{"a":1e999}', '{"a":-0}', '{"a":01}', '{"a":"\\x41"}', '{"a":"\\u00"}', 'NaN', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}']), 'application/json', 'broken JSON'),
    () => plain(`\ufeff${json}`, 'application/json', 'BOM'),
    () => plain(json.replace(/^\{/, `{${json.slice(1, -1)}${json.length > 2 ? ',' : ''}`), 'application/json', 'duplicate keys'),
    () => {
      const bad = rng.pick([[0xff, 0xfe], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0xa4], [0x80]]);
      // Decoded as U+FFFD, bad bytes in a value can make another valid value; at the start of the first key they make an unknown key.
      const inValue = (opts.badBytesInValues ?? true) && rng.chance(0.5);
      const cut = inValue ? json.lastIndexOf('"') : json.indexOf('"') + 1;
      const body = cut > 0 ? Buffer.concat([Buffer.from(json.slice(0, cut)), Buffer.from(bad), Buffer.from(json.slice(cut))]) : Buffer.from(bad);
      return plain(body, 'application/json', `invalid UTF-8 bytes ${Buffer.from(bad).toString('hex')} in a ${inValue ? 'value' : 'key'}`);
    },
    () => {
      const n = rng.pick([100, 5000, Math.floor(limitBytes / 2.2)]);
      const kind = rng.pick(['[]', '{"a":}'] as const);
      const body = kind === '[]' ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n);
      return plain(body, 'application/json', `JSON nested ${n} deep`);
    },
    () => plain(`{"pad":"${'y'.repeat(limitBytes + rng.int(1, 1000))}"}`, 'application/json', 'body over the limit'),
    () => plain(Buffer.from(json, 'utf16le'), 'application/json', 'UTF-16 bytes, no charset'),
  ];
  return rng.pick(kinds)();
}

// --- paths, queries, headers ---

/**
 * encodeURIComponent that does not throw on a lone surrogate: it is written as the three
 * bytes a careless encoder produces (CESU-8, e.g. %ED%A0%80), which are not UTF-8.
 */
export function looseEncode(text: string): string {
  return text.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]|[^\ud800-\udfff]+/g, (part) => {
    if (part.length !== 1 || part.charCodeAt(0) < 0xd800 || part.charCodeAt(0) > 0xdfff) return encodeURIComponent(part);
    const c = part.charCodeAt(0);
    const hex = (n: number) => `%${n.toString(16).toUpperCase().padStart(2, '0')}`;
    return hex(0xe0 | (c >> 12)) + hex(0x80 | ((c >> 6) & 0x3f)) + hex(0x80 | (c & 0x3f));
  });
}

/** A path segment that is not what the route expects: bad percent-encoding, NUL, raw bytes, odd lengths. */
export function hostileSegment(rng: Rng, valid: string): Mutated {
  return rng.pick<() => Mutated>([
    // Raw bytes over 0x7f are rare here: Node's parser refuses them (400) before the app sees the request.
    () => ({ value: rng.pick(['%FF', '%E0%A4%A', '%00', '%', '%zz', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', 'a%', '%%', '%u0041', '%2', `${valid}%FF`, `${valid}\xff`, '\xe9t\xe9']), note: 'malformed percent-encoding' }),
    () => ({ value: rng.pick(['%00', `${valid}%00`, `a%00b`]), note: 'NUL' }),
    () => ({ value: encodeURIComponent(rng.pick(['\u{1f600}', 'é', '\u202e', '\ufeff'])), note: 'encoded unicode' }),
    () => ({ value: 'a'.repeat(rng.pick([37, 256, 4096, 16_000])), note: 'long segment' }),
    () => ({ value: rng.pick(['..', '.', '%2e%2e', '..%2F..%2Fetc%2Fpasswd', '%2F', '%5C', 'a%2Fb', '']), note: 'dot or slash segment' }),
    () => ({ value: rng.pick(['0', '-1', '1e999', 'null', 'undefined', 'true', '[]', '{}', '__proto__', 'constructor', 'NaN']), note: 'wrong type' }),
    () => ({ value: rng.pick([valid.toUpperCase(), valid.slice(0, -1), `${valid}0`, `${valid}/`, `${valid};x=1`, ` ${valid}`.replace(' ', '%20'), `${valid}%0A`]), note: 'near miss' }),
    () => ({ value: rng.uuid(), note: 'unknown id' }),
  ])();
}

/** A query value (already encoded) that is not what the route expects. */
export function hostileQueryValue(rng: Rng, schema: JsonSchema): Mutated {
  return rng.pick<() => Mutated>([
    // Raw bytes over 0x7f are rare here: Node's parser refuses them (400) before the app sees the request.
    () => ({ value: rng.pick(['%FF', '%E0%A4%A', '%', '%zz', '%ED%A0%80', '%C0%AF', '\xff\xfe']), note: 'malformed percent-encoding' }),
    () => ({ value: rng.pick(['%00', 'a%00b']), note: 'NUL' }),
    () => {
      const m = hostileValue(rng, schema, { hugeMax: 10_000 });
      const text = typeof m.value === 'string' ? m.value : JSON.stringify(m.value) ?? 'undefined';
      return { value: looseEncode(text.slice(0, 12_000)), note: m.note };
    },
    () => ({ value: looseEncode(rng.pick(BAD_DATES)), note: 'bad date' }),
    () => ({ value: rng.pick(['-1', '0', '201', '1e3', '1.5', '99999999999999999999', '0x10', '-0', '', '%20', 'Infinity']), note: 'odd number' }),
  ])();
}

/**
 * An opaque token the API handed out (a page cursor), decoded, changed inside and encoded
 * again: it still looks like one of ours, so it gets past the outer checks to the parser.
 */
export function mutateOpaque(real: string, rng: Rng): Mutated {
  const text = Buffer.from(real, 'base64url').toString('utf8');
  // Mostly numbers just past what 32- and 64-bit columns hold, with the same number of digits as a real one could have.
  const big = ['9'.repeat(19), '9223372036854775808', '9300000000000000000', '2147483648', '4294967296', '18446744073709551616', '0', '-1', '1e5', '1.5'];
  const dates = ['1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z', '+010000-01-01T00:00:00.000Z', '2024-02-30T00:00:00Z', '2024-01-01', '2024-01-01T00:00:00.123456789Z', 'Invalid Date', '1e12', ''];
  const edits: (() => Mutated)[] = [
    () => ({ value: text.replace(/\d+/g, () => rng.pick(big)), note: 'numbers inside changed' }),
    () => ({ value: text.replace(/\d+/, () => rng.pick(big)), note: 'first number inside changed' }),
    () => ({ value: text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, () => rng.pick(dates)), note: 'time inside changed' }),
    () => ({ value: text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (u) => rng.pick([u.toUpperCase(), rng.uuid(), u.replace(/-4/, '-1'), '00000000-0000-0000-0000-000000000000', `${u}0`])), note: 'id inside changed' }),
    () => ({ value: `${text}${rng.pick(['|x', '|', ',', '\u0000', '"', '}'])}`, note: 'text appended inside' }),
    () => ({ value: text.replace(/"([^"]*)"\s*}$/, (_m, v: string) => rng.pick([`${v}}`, `[${JSON.stringify(v)}]}`, 'null}', `${JSON.stringify({ $gt: v })}}`, '"\\u0000"}'])), note: 'JSON type inside changed' }),
    () => ({ value: text.slice(0, rng.int(0, Math.max(0, text.length - 1))), note: 'truncated inside' }),
  ];
  const m = rng.pick(edits)();
  const encoded = Buffer.from(String(m.value), 'utf8').toString(rng.chance(0.85) ? 'base64url' : 'base64');
  return { value: encoded, note: `cursor ${m.note}: ${JSON.stringify(String(m.value).slice(0, 80))}` };
}

const FORWARDED = ['not-an-ip', '1.2.3.4, garbage', '999.999.1.1', '[::1]:80', 'unknown', '', ',,,', '::ffff:10.0.0.1', '10.0.0.1:1234', '2001:db8::1%eth0', '\xff\xfe', '10.0.0.1, 10.0.0.2, 10.0.0.3', '_hidden', 'fe80::1', '0.0.0.0', '127.0.0.1'];
/** Client addresses far longer than any address: where they are stored or used as keys, lengths are limited. */
const LONG_FORWARDED = ['a'.repeat(300), '9'.repeat(256), `${'f'.repeat(260)}::1`, 'x'.repeat(5000), `10.0.0.1, ${'b'.repeat(400)}`];

/** Headers that are wrong in some way: auth, request id, forwarding, cookies, accept. */
export function hostileHeader(rng: Rng): { headers: Record<string, string>; note: string } {
  return rng.pick<() => { headers: Record<string, string>; note: string }>([
    () => ({ headers: { authorization: rng.pick(['Bearer', 'Bearer ', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', 'Basic YWRtaW46YWRtaW4=', 'bearer x', `Bearer ${'a'.repeat(9000)}`, 'Bearer \xff\xfe', 'Bearer  x y', 'Token x', 'Bearer null']) }, note: 'bad authorization' }),
    () => ({ headers: { 'x-request-id': rng.pick(['', 'a'.repeat(300), '\xff', 'a b', '../x', '%00']) }, note: 'odd x-request-id' }),
    () => ({ headers: { 'x-forwarded-for': rng.pick(FORWARDED) }, note: 'odd x-forwarded-for' }),
    () => ({ headers: { 'x-forwarded-for': rng.pick(LONG_FORWARDED) }, note: 'long x-forwarded-for' }),
    () => ({ headers: { cookie: rng.pick(['netpilot_refresh=%FF', 'netpilot_refresh=', 'netpilot_refresh=a; netpilot_refresh=b', '=;=;', 'a'.repeat(8000), 'netpilot_refresh=\xff']) }, note: 'odd cookie' }),
    () => ({ headers: { accept: rng.pick(['text/html', 'application/xml', '*/*;q=abc', '', 'application/json;q=0']) }, note: 'odd accept' }),
    () => ({ headers: { 'x-netpilot-client': rng.pick(['console', 'CONSOLE', '', 'x'.repeat(300), '\xff']) }, note: 'odd x-netpilot-client' }),
    () => ({ headers: { 'x-http-method-override': 'DELETE', 'x-original-url': '/api/v1/users' }, note: 'override headers' }),
    () => ({ headers: { origin: rng.pick(['null', 'http://evil.example', '\xff']), referer: 'javascript:alert(1)' }, note: 'odd origin' }),
    () => ({ headers: { 'user-agent': rng.pick(['', 'x'.repeat(12_000), '\xff\xfe', '() { :; }; /bin/true', '%00']) }, note: 'odd user-agent' }),
  ])();
}

// --- the wire ---

export interface RawRequest {
  method: string;
  /** Sent byte for byte (latin1): percent-encoding mistakes and raw bytes arrive as written. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Set when no HTTP answer came (reset, timeout). */
  transportError?: string;
}

/** Sends one request as built; an event stream is cut after its headers, other bodies read up to 8 KB. */
export function sendRaw(baseUrl: string, req: RawRequest, agent: http.Agent | false, timeoutMs: number): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: RawAnswer) => {
      if (settled) return;
      settled = true;
      resolve(a);
    };
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body) headers['content-length'] = req.body.length;
    let r: http.ClientRequest;
    try {
      r = http.request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent, setHost: true });
    } catch (err) {
      // The client refuses to send it (a character Node will not put on the wire): not the server's doing.
      done({ status: 0, headers: {}, body: '', transportError: `client refused: ${(err as Error).message}` });
      return;
    }
    r.setTimeout(timeoutMs, () => {
      r.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    r.on('error', (err) => done({ status: 0, headers: {}, body: '', transportError: err.message }));
    r.on('response', (res) => {
      if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        done({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
        res.destroy();
        r.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < 8192) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, 8192) }));
      res.on('error', (err) => done({ status: res.statusCode ?? 0, headers: res.headers, body: '', transportError: err.message }));
    });
    r.end(req.body);
  });
}

/** Runs task(0..count-1) with at most `limit` in flight. */
export async function runPool(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let stop = false;
  const worker = async () => {
    while (next < count && !stop) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        stop = true;
        throw err;
      }
    }
  };
  // Every worker ends before this returns, also when one fails (no requests left running into the next test).
  const results = await Promise.allSettled(Array.from({ length: Math.min(limit, count) }, worker));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** One request for the failure report: enough to send it again by hand. */
export function describeRequest(req: RawRequest, max = 300): string {
  const body = req.body ? req.body.toString('latin1') : '';
  const hdrs = Object.entries(req.headers)
    .filter(([k]) => k !== 'x-request-id')
    .map(([k, v]) => `${k}: ${k === 'authorization' ? v.replace(/^(Bearer \S{0,12})\S*/, '$1…') : v.length > 80 ? `${v.slice(0, 80)}…(${v.length} chars)` : v}`)
    .join('; ');
  const esc = (s: string) => JSON.stringify(s.length > max ? `${s.slice(0, max)}…(${s.length} chars)` : s);
  return `${req.method} ${esc(req.path)}${hdrs ? ` [${hdrs}]` : ''}${body ? ` body ${esc(body)}` : ''}`;
}
