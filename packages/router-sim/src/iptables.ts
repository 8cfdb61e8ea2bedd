import { canonicalIp, canonicalMac } from './addresses';
import type { Output } from './shell';

/**
 * The filter table of iptables or ip6tables, for the options NetPilot and typical user
 * rules use. Rules are stored in the canonical text `iptables -S` prints, which is also
 * what `-C` and `-D` compare against, as the real tools do after parsing.
 */

interface Chain {
  name: string;
  policy: string | null;
  rules: string[];
}

export interface XtTable {
  family: 4 | 6;
  chains: Chain[];
}

export function emptyFilterTable(family: 4 | 6): XtTable {
  return {
    family,
    chains: ['INPUT', 'FORWARD', 'OUTPUT'].map((name) => ({ name, policy: 'ACCEPT', rules: [] })),
  };
}

const BUILTIN_TARGETS = new Set(['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'LOG']);

class XtError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

function program(family: 4 | 6) {
  return family === 4 ? 'iptables' : 'ip6tables';
}

function badRule(): never {
  throw new XtError('iptables: Bad rule (does a matching rule exist in that chain?).', 1);
}

/** Parses a rule specification into the canonical `-S` text. */
function canonicalSpec(t: XtTable, tokens: string[]): string {
  const prog = `${program(t.family)} v1.8.9 (nf_tables)`;
  let src: string | undefined;
  let dst: string | undefined;
  let inIf: string | undefined;
  let outIf: string | undefined;
  let proto: string | undefined;
  let macSource: string | undefined;
  let dport: string | undefined;
  let target: string | undefined;
  const address = (value: string | undefined): string => {
    const [addr, len] = (value ?? '').split('/');
    const ip = canonicalIp(addr);
    const max = t.family === 4 ? 32 : 128;
    if (!ip || ip.family !== t.family) throw new XtError(`${prog}: host/network \`${addr}' not found`, 2);
    const prefix = len === undefined ? max : Number(len);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new XtError(`${prog}: invalid mask \`${len}' specified`, 2);
    return `${ip.text}/${prefix}`;
  };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    const next = () => {
      const v = tokens[++i];
      if (v === undefined) throw new XtError(`${prog}: option "${tok}" requires an argument`, 2);
      return v;
    };
    switch (tok) {
      case '-s':
      case '--source':
        src = address(next());
        break;
      case '-d':
      case '--destination':
        dst = address(next());
        break;
      case '-i':
        inIf = next();
        break;
      case '-o':
        outIf = next();
        break;
      case '-p':
        proto = next().toLowerCase();
        break;
      case '-m': {
        const mod = next();
        if (mod !== 'mac' && mod !== 'tcp' && mod !== 'udp') throw new XtError(`${prog}: Couldn't load match \`${mod}':No such file or directory`, 2);
        break;
      }
      case '--mac-source': {
        const mac = canonicalMac(next());
        if (!mac) throw new XtError(`${prog}: Bad mac address "${tokens[i]}"`, 2);
        macSource = mac;
        break;
      }
      case '--dport':
        if (proto !== 'tcp' && proto !== 'udp') throw new XtError(`${prog}: unknown option "--dport"`, 2);
        dport = next();
        break;
      case '-j':
        target = next();
        break;
      default:
        throw new XtError(`${prog}: unknown option "${tok}"\nTry \`${program(t.family)} -h' or '${program(t.family)} --help' for more information.`, 2);
    }
  }
  if (target && !BUILTIN_TARGETS.has(target) && !t.chains.some((c) => c.name === target)) {
    throw new XtError(`${prog}: Chain '${target}' does not exist`, 2);
  }
  const parts: string[] = [];
  if (src) parts.push('-s', src);
  if (dst) parts.push('-d', dst);
  if (inIf) parts.push('-i', inIf);
  if (outIf) parts.push('-o', outIf);
  if (proto) parts.push('-p', proto);
  if (macSource) parts.push('-m', 'mac', '--mac-source', macSource);
  if (dport) parts.push('-m', proto!, '--dport', dport);
  if (target) parts.push('-j', target);
  return parts.join(' ');
}

function listChain(c: Chain): string[] {
  const head = c.policy ? `-P ${c.name} ${c.policy}` : `-N ${c.name}`;
  return [head, ...c.rules.map((r) => `-A ${c.name}${r ? ` ${r}` : ''}`)];
}

/** Runs one iptables/ip6tables invocation (args after the program name). */
export function runIptables(t: XtTable, args: string[], io: Output): number {
  const prog = `${program(t.family)} v1.8.9 (nf_tables)`;
  try {
    const rest = [...args];
    // -w [seconds]: the simulator has no lock to wait for.
    for (let i = 0; i < rest.length; ) {
      if (rest[i] === '-w' || rest[i] === '--wait') {
        rest.splice(i, /^\d+$/.test(rest[i + 1] ?? '') ? 2 : 1);
      } else if (rest[i] === '-t' || rest[i] === '--table') {
        if (rest[i + 1] !== 'filter') {
          throw new XtError(`${prog}: can't initialize ${program(t.family)} table \`${rest[i + 1]}': Table does not exist`, 3);
        }
        rest.splice(i, 2);
      } else {
        i++;
      }
    }
    const [op, chainName, ...spec] = rest;
    const chain = t.chains.find((c) => c.name === chainName);
    const needChain = () => chain ?? badRule();
    switch (op) {
      case '-S':
      case '--list-rules': {
        if (chainName === undefined) {
          // Like the real tool: policies, then user chains, then every rule in chain order.
          const heads = [...t.chains.filter((c) => c.policy), ...t.chains.filter((c) => !c.policy)].map((c) => listChain(c)[0]);
          const rules = t.chains.flatMap((c) => listChain(c).slice(1));
          io.out([...heads, ...rules].map((l) => `${l}\n`).join(''));
          return 0;
        }
        if (!chain) throw new XtError(`${prog}: chain \`${chainName}' in table \`filter' is incompatible, use 'nft' tool.`, 1);
        io.out(listChain(chain).map((l) => `${l}\n`).join(''));
        return 0;
      }
      case '-N':
      case '--new-chain':
        if (!chainName) throw new XtError(`${prog}: option "-N" requires an argument`, 2);
        if (chain || BUILTIN_TARGETS.has(chainName)) throw new XtError('iptables: Chain already exists.', 1);
        t.chains.push({ name: chainName, policy: null, rules: [] });
        return 0;
      case '-X':
      case '--delete-chain': {
        if (!chain || chain.policy) throw new XtError('iptables: No chain/target/match by that name.', 1);
        if (chain.rules.length) throw new XtError('iptables: Directory not empty.', 1);
        const referenced = t.chains.some((c) => c.rules.some((r) => r.endsWith(`-j ${chainName}`)));
        if (referenced) throw new XtError('iptables: Too many links.', 1);
        t.chains = t.chains.filter((c) => c !== chain);
        return 0;
      }
      case '-F':
      case '--flush':
        if (chainName === undefined) t.chains.forEach((c) => (c.rules = []));
        else needChain().rules = [];
        return 0;
      case '-C':
      case '--check': {
        const rule = canonicalSpec(t, spec);
        if (!chain || !chain.rules.includes(rule)) badRule();
        return 0;
      }
      case '-A':
      case '--append': {
        const rule = canonicalSpec(t, spec);
        if (!chain) throw new XtError('iptables: No chain/target/match by that name.', 1);
        chain.rules.push(rule);
        return 0;
      }
      case '-I':
      case '--insert': {
        let pos = 1;
        let ruleSpec = spec;
        if (/^\d+$/.test(spec[0] ?? '')) {
          pos = Number(spec[0]);
          ruleSpec = spec.slice(1);
        }
        const rule = canonicalSpec(t, ruleSpec);
        if (!chain) throw new XtError('iptables: No chain/target/match by that name.', 1);
        if (pos < 1 || pos > chain.rules.length + 1) throw new XtError('iptables: Index of insertion too big.', 1);
        chain.rules.splice(pos - 1, 0, rule);
        return 0;
      }
      case '-D':
      case '--delete': {
        const c = needChain();
        if (spec.length === 1 && /^\d+$/.test(spec[0])) {
          const n = Number(spec[0]);
          if (n < 1 || n > c.rules.length) throw new XtError('iptables: Index of deletion too big.', 1);
          c.rules.splice(n - 1, 1);
          return 0;
        }
        const rule = canonicalSpec(t, spec);
        const at = c.rules.indexOf(rule);
        if (at < 0) badRule();
        c.rules.splice(at, 1);
        return 0;
      }
      default:
        throw new XtError(`${prog}: ${op === undefined ? 'no command specified' : `unknown option "${op}"`}\nTry \`${program(t.family)} -h' or '${program(t.family)} --help' for more information.`, 2);
    }
  } catch (err) {
    if (!(err instanceof XtError)) throw err;
    io.err(`${err.message}\n`);
    return err.code;
  }
}

/** The rules of a chain in `-S` text (without the `-A CHAIN` prefix), or [] if absent. */
export function chainRules(t: XtTable, name: string): string[] {
  return [...(t.chains.find((c) => c.name === name)?.rules ?? [])];
}
