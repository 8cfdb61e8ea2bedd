import { isIPv4 } from 'node:net';
import { canonicalIpv6, canonicalMac } from './addresses';
import type { Output } from './shell';

/**
 * An nftables model good for the commands NetPilot emits: tables, typed sets with
 * elements, base chains and rules kept as text. Each `nft` invocation is one transaction,
 * as in the kernel: all of its commands apply, or none.
 */

type SetType = 'ipv4_addr' | 'ipv6_addr' | 'ether_addr';

interface NftSet {
  name: string;
  handle: number;
  type: SetType;
  elements: string[];
}

interface NftChain {
  name: string;
  handle: number;
  base: { type: string; hook: string; prio: number; policy: string } | null;
  rules: { handle: number; text: string }[];
}

interface NftTable {
  family: string;
  name: string;
  handle: number;
  nextHandle: number;
  sets: NftSet[];
  chains: NftChain[];
}

export interface NftRuleset {
  tables: NftTable[];
  nextTableHandle: number;
}

export function emptyRuleset(): NftRuleset {
  return { tables: [], nextTableHandle: 1 };
}

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
const VERSION = { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 };

class NftError extends Error {}

function noSuchFile(): never {
  throw new NftError('Could not process rule: No such file or directory');
}

function fileExists(): never {
  throw new NftError('Could not process rule: File exists');
}

/** Splits an nft script into commands at `;`/newlines outside braces. */
function splitCommands(script: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of script) {
    if (c === '{') depth++;
    if (c === '}') depth--;
    if ((c === ';' || c === '\n') && depth === 0) {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

function words(command: string): string[] {
  return command.match(/[{},;]|[^\s{},;]+/g) ?? [];
}

function normalizeElement(type: SetType, value: string): string {
  if (type === 'ipv4_addr' && isIPv4(value)) return value;
  if (type === 'ipv6_addr') {
    const v6 = canonicalIpv6(value);
    if (v6) return v6;
  }
  if (type === 'ether_addr') {
    const mac = canonicalMac(value);
    if (mac) return mac;
  }
  throw new NftError(`Could not resolve hostname: Name or service not known (${value} is not ${type})`);
}

/** `{ a , b }` → [a, b]; `{ type x ; policy y ; }` → [[type,x],[policy,y]] style word groups. */
function braceBody(w: string[], start: number): { body: string[]; end: number } {
  if (w[start] !== '{') throw new NftError(`syntax error, unexpected ${w[start] ?? 'end of file'}, expecting '{'`);
  const end = w.indexOf('}', start);
  if (end < 0) throw new NftError("syntax error, unexpected end of file, expecting '}'");
  return { body: w.slice(start + 1, end), end };
}

function statements(body: string[]): string[][] {
  const out: string[][] = [[]];
  for (const t of body) {
    if (t === ';') out.push([]);
    else out[out.length - 1].push(t);
  }
  return out.filter((s) => s.length > 0);
}

function table(rs: NftRuleset, family: string, name: string): NftTable | undefined {
  return rs.tables.find((t) => t.family === family && t.name === name);
}

function requireTable(rs: NftRuleset, family: string | undefined, name: string | undefined): NftTable {
  if (!family || !FAMILIES.has(family) || !name) throw new NftError(`syntax error, unexpected ${family ?? 'end of file'}`);
  return table(rs, family, name) ?? noSuchFile();
}

function applyCommand(rs: NftRuleset, command: string, io: Output, json: boolean): void {
  const w = words(command);
  const [verb, object] = w;
  if (verb === 'list') {
    if (object === 'ruleset') return io.out(render(rs.tables, json));
    if (object === 'table') return io.out(render([requireTable(rs, w[2], w[3])], json));
    throw new NftError(`syntax error, unexpected ${object ?? 'end of file'}`);
  }
  if (verb !== 'add' && verb !== 'create' && verb !== 'delete' && verb !== 'flush' && verb !== 'get') {
    throw new NftError(`syntax error, unexpected ${verb}`);
  }
  if (object === 'table') {
    const [family, name] = [w[2], w[3]];
    if (!FAMILIES.has(family) || !name) throw new NftError(`syntax error, unexpected ${family ?? 'end of file'}`);
    const existing = table(rs, family, name);
    if (verb === 'delete') {
      if (!existing) noSuchFile();
      rs.tables = rs.tables.filter((t) => t !== existing);
    } else if (verb === 'flush') {
      if (!existing) noSuchFile();
      existing.chains.forEach((c) => (c.rules = []));
      existing.sets.forEach((s) => (s.elements = []));
    } else if (existing) {
      if (verb === 'create') fileExists();
    } else {
      rs.tables.push({ family, name, handle: rs.nextTableHandle++, nextHandle: 1, sets: [], chains: [] });
    }
    return;
  }
  const t = requireTable(rs, w[2], w[3]);
  const name = w[4];
  if (!name) throw new NftError('syntax error, unexpected end of file');
  if (object === 'set') {
    const existing = t.sets.find((s) => s.name === name);
    if (verb === 'delete') {
      if (!existing) noSuchFile();
      t.sets = t.sets.filter((s) => s !== existing);
      return;
    }
    if (verb !== 'add' && verb !== 'create') throw new NftError(`syntax error, unexpected ${verb}`);
    const { body } = braceBody(w, 5);
    const typeStmt = statements(body).find((s) => s[0] === 'type');
    const type = typeStmt?.[1] as SetType | undefined;
    if (!type || !['ipv4_addr', 'ipv6_addr', 'ether_addr'].includes(type)) {
      throw new NftError(`syntax error, unexpected ${type ?? '}'}`);
    }
    if (existing) {
      if (verb === 'create' || existing.type !== type) fileExists();
      return;
    }
    t.sets.push({ name, handle: t.nextHandle++, type, elements: [] });
    return;
  }
  if (object === 'chain') {
    const existing = t.chains.find((c) => c.name === name);
    if (verb === 'flush') {
      if (!existing) noSuchFile();
      existing.rules = [];
      return;
    }
    if (verb === 'delete') {
      if (!existing) noSuchFile();
      t.chains = t.chains.filter((c) => c !== existing);
      return;
    }
    let base: NftChain['base'] = null;
    if (w[5] === '{') {
      const s = statements(braceBody(w, 5).body);
      const def = s.find((x) => x[0] === 'type');
      const policy = s.find((x) => x[0] === 'policy')?.[1] ?? 'accept';
      // type filter hook input priority -10
      if (!def || def[2] !== 'hook' || def[4] !== 'priority' || !/^-?\d+$/.test(def[5] ?? '')) {
        throw new NftError(`syntax error in chain definition: ${def?.join(' ') ?? ''}`);
      }
      base = { type: def[1], hook: def[3], prio: Number(def[5]), policy };
    }
    if (existing) {
      if (verb === 'create') fileExists();
      if (base && existing.base && (existing.base.hook !== base.hook || existing.base.prio !== base.prio)) {
        throw new NftError('Could not process rule: Device or resource busy');
      }
      return;
    }
    t.chains.push({ name, handle: t.nextHandle++, base, rules: [] });
    return;
  }
  if (object === 'rule') {
    const chain = t.chains.find((c) => c.name === name) ?? noSuchFile();
    if (verb !== 'add') throw new NftError(`syntax error, unexpected ${verb}`);
    const text = w.slice(5).join(' ');
    if (!text) throw new NftError('syntax error, unexpected end of file');
    for (const ref of text.match(/@(\S+)/g) ?? []) {
      if (!t.sets.some((s) => s.name === ref.slice(1))) {
        throw new NftError(`Could not process rule: No such file or directory (set ${ref.slice(1)})`);
      }
    }
    chain.rules.push({ handle: t.nextHandle++, text });
    return;
  }
  if (object === 'element') {
    const set = t.sets.find((s) => s.name === name) ?? noSuchFile();
    const values = braceBody(w, 5)
      .body.filter((x) => x !== ',')
      .map((v) => normalizeElement(set.type, v));
    if (values.length === 0) throw new NftError("syntax error, unexpected '}'");
    if (verb === 'add' || verb === 'create') {
      for (const v of values) {
        if (set.elements.includes(v)) {
          if (verb === 'create') fileExists();
        } else {
          set.elements.push(v);
        }
      }
    } else if (verb === 'delete') {
      for (const v of values) {
        if (!set.elements.includes(v)) noSuchFile();
        set.elements = set.elements.filter((e) => e !== v);
      }
    } else if (verb === 'get') {
      if (!values.every((v) => set.elements.includes(v))) noSuchFile();
      io.out(render([{ ...t, chains: [], sets: [{ ...set, elements: values }] }], false));
    } else {
      throw new NftError(`syntax error, unexpected ${verb}`);
    }
    return;
  }
  throw new NftError(`syntax error, unexpected ${object ?? 'end of file'}`);
}

/**
 * Runs one `nft` invocation (args after the program name) against the ruleset.
 * `jsonSupport: false` behaves like OpenWrt's nftables-nojson build.
 */
export function runNft(rs: NftRuleset, args: string[], io: Output, jsonSupport = true): number {
  let json = false;
  let i = 0;
  for (; i < args.length && args[i].startsWith('-'); i++) {
    if (args[i] === '-j' || args[i] === '--json') {
      if (!jsonSupport) {
        io.err('Error: JSON support not compiled-in\n');
        return 1;
      }
      json = true;
    }
    else if (args[i] === '-f' || args[i] === '--file') {
      io.err('Error: the simulator does not read nft scripts from files; pass commands as arguments\n');
      return 1;
    } else {
      io.err(`nft: unrecognized option '${args[i]}'\n`);
      return 1;
    }
  }
  const script = args.slice(i).join(' ');
  const commands = splitCommands(script);
  if (commands.length === 0) {
    io.err('Error: syntax error, unexpected end of file\n');
    return 1;
  }
  // One transaction: work on a copy, keep it only if every command succeeded.
  const draft = structuredClone(rs);
  let out = '';
  const buffered: Output = { out: (s) => (out += s), err: io.err };
  for (const command of commands) {
    try {
      applyCommand(draft, command, buffered, json);
    } catch (err) {
      if (!(err instanceof NftError)) throw err;
      io.err(`Error: ${err.message}\n${command}\n`);
      return 1;
    }
  }
  rs.tables = draft.tables;
  rs.nextTableHandle = draft.nextTableHandle;
  io.out(out);
  return 0;
}

function prioText(p: number): string {
  return p === 0 ? 'filter' : p < 0 ? `filter - ${-p}` : `filter + ${p}`;
}

function render(tables: NftTable[], json: boolean): string {
  return json ? renderJson(tables) : tables.map(renderText).join('\n');
}

function renderText(t: NftTable): string {
  const blocks: string[] = [];
  for (const s of t.sets) {
    const lines = [`\tset ${s.name} {`, `\t\ttype ${s.type}`];
    if (s.elements.length) lines.push(`\t\telements = { ${s.elements.join(', ')} }`);
    lines.push('\t}');
    blocks.push(lines.join('\n'));
  }
  for (const c of t.chains) {
    const lines = [`\tchain ${c.name} {`];
    if (c.base) lines.push(`\t\ttype ${c.base.type} hook ${c.base.hook} priority ${prioText(c.base.prio)}; policy ${c.base.policy};`);
    for (const r of c.rules) lines.push(`\t\t${r.text}`);
    lines.push('\t}');
    blocks.push(lines.join('\n'));
  }
  return `table ${t.family} ${t.name} {\n${blocks.join('\n\n')}\n}\n`;
}

/** The expression JSON of the rule shapes NetPilot uses; other rules get an empty expression. */
function ruleExpr(text: string): unknown[] {
  const m = /^(ip|ip6|ether) (saddr|daddr) (@\S+) (drop|accept)$/.exec(text);
  if (!m) return [];
  return [
    { match: { op: '==', left: { payload: { protocol: m[1], field: m[2] } }, right: m[3] } },
    { [m[4]]: null },
  ];
}

function renderJson(tables: NftTable[]): string {
  const items: unknown[] = [{ metainfo: VERSION }];
  for (const t of tables) {
    items.push({ table: { family: t.family, name: t.name, handle: t.handle } });
    for (const s of t.sets) {
      const set: Record<string, unknown> = { family: t.family, name: s.name, table: t.name, type: s.type, handle: s.handle };
      if (s.elements.length) set.elem = [...s.elements];
      items.push({ set });
    }
    for (const c of t.chains) {
      const chain: Record<string, unknown> = { family: t.family, table: t.name, name: c.name, handle: c.handle };
      if (c.base) Object.assign(chain, { type: c.base.type, hook: c.base.hook, prio: c.base.prio, policy: c.base.policy });
      items.push({ chain });
    }
    for (const c of t.chains) {
      for (const r of c.rules) {
        items.push({ rule: { family: t.family, table: t.name, chain: c.name, handle: r.handle, expr: ruleExpr(r.text) } });
      }
    }
  }
  return `${JSON.stringify({ nftables: items }).replace(/":/g, '": ').replace(/,"/g, ', "')}\n`;
}

/** Elements of a set, or [] when the table or set does not exist. */
export function setElements(rs: NftRuleset, family: string, tableName: string, setName: string): string[] {
  return [...(table(rs, family, tableName)?.sets.find((s) => s.name === setName)?.elements ?? [])];
}

/** True when the table has the named base chains. */
export function hasBaseChains(rs: NftRuleset, family: string, tableName: string, chains: string[]): boolean {
  const t = table(rs, family, tableName);
  return !!t && chains.every((name) => t.chains.some((c) => c.name === name && c.base !== null && c.rules.length > 0));
}
