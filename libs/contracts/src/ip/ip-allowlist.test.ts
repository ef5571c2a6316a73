import * as net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressBlock, IpAllowlist, normalizeIp, parseAllowlist, parseAllowlistEntry } from './ip-allowlist.js';

// ---------------------------------------------------------------------------------------------
// Independent reference helpers (no code shared with the module under test): IPv4 as a number,
// IPv6 as a bigint, an RFC 5952 formatter written from the RFC, and Node's net module as oracle.
// ---------------------------------------------------------------------------------------------

const V6_MAX = (1n << 128n) - 1n;
const MAPPED_PREFIX = 0xffffn << 32n; // ::ffff:0:0/96

const fmt4 = (w: number): string => [Math.floor(w / 2 ** 24), Math.floor(w / 2 ** 16) % 256, Math.floor(w / 256) % 256, w % 256].join('.');
const groups6 = (v: bigint): number[] => Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & 0xffffn));
const full6 = (v: bigint): string => groups6(v).map((g) => g.toString(16)).join(':');

/** RFC 5952 §4: lowercase, no leading zeros, `::` for the longest (first on a tie) run of ≥ 2 zero groups. */
function rfc5952(v: bigint): string {
  const g = groups6(v);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

const network4 = (w: number, prefix: number): number => w - (w % 2 ** (32 - prefix));
const network6 = (v: bigint, prefix: number): bigint => v & ~((1n << BigInt(128 - prefix)) - 1n) & V6_MAX;

/** What an address really is: IPv4-mapped IPv6 is the IPv4 address it carries. */
type Addr = { family: 4; v: number } | { family: 6; v: bigint };
const classify6 = (v: bigint): Addr => ((v >> 32n) === 0xffffn ? { family: 4, v: Number(v & 0xffffffffn) } : { family: 6, v });
const expectedText = (a: Addr): string => (a.family === 4 ? fmt4(a.v) : rfc5952(a.v));

/**
 * Many valid textual forms of one IPv6 address; `choice` picks one. All of them are accepted by
 * Node's net.isIPv6 (checked in a property below).
 */
function v6Form(v: bigint, choice: number): string {
  const g = groups6(v);
  const zeroRuns: Array<[number, number]> = [];
  for (let s = 0; s < 8; s++) for (let e = s + 1; e <= 8 && g[e - 1] === 0; e++) zeroRuns.push([s, e]);
  const dotted = fmt4(Number(v & 0xffffffffn));
  const forms = [
    () => rfc5952(v),
    () => rfc5952(v).toUpperCase(),
    () => full6(v),
    () => g.map((x) => x.toString(16).padStart(4, '0')).join(':').toUpperCase(),
    () => new net.SocketAddress({ address: full6(v), family: 'ipv6' }).address, // libuv: ::1.2.3.4, ::ffff:1.2.3.4
    () => `${g.slice(0, 6).map((x) => x.toString(16)).join(':')}:${dotted}`,
    () => {
      // `::` over any run of zero groups, not necessarily the longest (RFC 4291 allows it)
      if (zeroRuns.length === 0) return full6(v);
      const [s, e] = zeroRuns[choice % zeroRuns.length];
      const hex = g.map((x) => x.toString(16));
      return `${hex.slice(0, s).join(':')}::${hex.slice(e).join(':')}`;
    },
    () => {
      // the same with a mixed-notation IPv4 tail when the run ends before the last two groups
      const runs = zeroRuns.filter(([, e]) => e <= 6);
      if (runs.length === 0) return `${g.slice(0, 6).map((x) => x.toString(16)).join(':')}:${dotted}`;
      const [s, e] = runs[choice % runs.length];
      const hex = g.slice(0, 6).map((x) => x.toString(16));
      const head = `${hex.slice(0, s).join(':')}::${hex.slice(e).join(':')}`;
      return head.endsWith('::') ? `${head}${dotted}` : `${head}:${dotted}`;
    },
  ];
  return forms[Math.floor(choice / 7) % forms.length]();
}

/** Textual forms of an IPv4 address: dotted, or any IPv6 form of its IPv4-mapped address. */
const v4Form = (w: number, choice: number): string => (choice % 3 === 0 ? fmt4(w) : v6Form(MAPPED_PREFIX | BigInt(w), choice));

const u32 = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(0, 1, 0x7f000001, 0x0a000000, 0x80000000, 0xfffffffe, 0xffffffff),
);
/** Random 128-bit values, with plenty of zero groups (for `::`) and of IPv4-mapped values. */
const u128 = fc.oneof(
  fc.bigInt({ min: 0n, max: V6_MAX }),
  fc
    .array(fc.oneof(fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
    .map((gs) => gs.reduce((acc, x) => (acc << 16n) | BigInt(x), 0n)),
  u32.map((w) => MAPPED_PREFIX | BigInt(w)),
);

/** A CIDR as written by a user (`text`) and what it really is (`ref`, IPv4-mapped entries as IPv4). */
interface GenCidr {
  text: string;
  ref: { family: 4; net: number; prefix: number } | { family: 6; net: bigint; prefix: number };
}

function cidrRef(family: 4 | 6, value: number | bigint, prefix: number): GenCidr['ref'] {
  if (family === 4) return { family: 4, net: network4(value as number, prefix), prefix };
  const netv = network6(value as bigint, prefix);
  const c = classify6(netv);
  // host bits cleared and in ::ffff:0:0/96 only happens with a prefix ≥ 96
  return c.family === 4 ? { family: 4, net: c.v, prefix: prefix - 96 } : { family: 6, net: netv, prefix };
}

const cidrArb: fc.Arbitrary<GenCidr> = fc.oneof(
  fc.tuple(u32, fc.integer({ min: 0, max: 32 }), fc.nat()).map(([w, prefix, choice]): GenCidr => {
    const netw = network4(w, prefix);
    const text =
      choice % 4 === 0
        ? `${v6Form(MAPPED_PREFIX | BigInt(netw), choice)}/${prefix + 96}` // ::ffff:10.0.0.0/104 style
        : prefix === 32 && choice % 4 === 1
          ? fmt4(netw)
          : `${fmt4(netw)}/${prefix}`;
    return { text, ref: cidrRef(4, w, prefix) };
  }),
  fc.tuple(u128, fc.integer({ min: 0, max: 128 }), fc.nat()).map(([v, prefix, choice]): GenCidr => {
    const netv = network6(v, prefix);
    const text = prefix === 128 && choice % 4 === 1 ? v6Form(netv, choice) : `${v6Form(netv, choice)}/${prefix}`;
    return { text, ref: cidrRef(6, v, prefix) };
  }),
);

const canonicalCidr = (ref: GenCidr['ref']): string =>
  ref.family === 4 ? `${fmt4(ref.net)}/${ref.prefix}` : `${rfc5952(ref.net)}/${ref.prefix}`;

function refContains(ref: GenCidr['ref'], a: Addr): boolean {
  if (ref.family === 4) return a.family === 4 && network4(a.v, ref.prefix) === ref.net;
  return a.family === 6 && network6(a.v, ref.prefix) === ref.net;
}

/** Client address relative to one of the generated ranges (or anywhere). */
const clientArb = fc.record({
  mode: fc.constantFrom('inside', 'first', 'last', 'before', 'after', 'random4', 'random6'),
  pick: fc.nat(),
  host4: u32,
  host6: u128,
  choice: fc.nat(),
});

type ClientGen = typeof clientArb extends fc.Arbitrary<infer T> ? T : never;

function makeClient(cidrs: GenCidr[], c: ClientGen): Addr {
  if (c.mode === 'random4' || cidrs.length === 0) return { family: 4, v: c.host4 };
  if (c.mode === 'random6') return classify6(c.host6);
  const { ref } = cidrs[c.pick % cidrs.length];
  if (ref.family === 4) {
    const size = 2 ** (32 - ref.prefix);
    const offset = { inside: c.host4 % size, first: 0, last: size - 1, before: -1, after: size }[c.mode];
    return { family: 4, v: (((ref.net + offset) % 2 ** 32) + 2 ** 32) % 2 ** 32 };
  }
  const size = 1n << BigInt(128 - ref.prefix);
  const offset = { inside: c.host6 % size, first: 0n, last: size - 1n, before: -1n, after: size }[c.mode];
  return classify6((ref.net + offset) & V6_MAX);
}

const clientText = (a: Addr, choice: number): string => (a.family === 4 ? v4Form(a.v, choice) : v6Form(a.v, choice));

const blockList = (refs: Array<GenCidr['ref']>): net.BlockList => {
  const list = new net.BlockList();
  for (const r of refs) {
    if (r.family === 4) list.addSubnet(fmt4(r.net), r.prefix, 'ipv4');
    else list.addSubnet(full6(r.net), r.prefix, 'ipv6');
  }
  return list;
};

const RUNS = { numRuns: 2000 };

// ---------------------------------------------------------------------------------------------

describe('parseAllowlistEntry: accepted entries', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7/32', 4],
    ['0.0.0.0', '0.0.0.0/32', 4],
    ['255.255.255.255', '255.255.255.255/32', 4],
    ['0.0.0.0/0', '0.0.0.0/0', 4],
    ['128.0.0.0/1', '128.0.0.0/1', 4],
    ['10.0.0.0/8', '10.0.0.0/8', 4],
    ['192.168.1.2/31', '192.168.1.2/31', 4],
    ['192.168.1.2/32', '192.168.1.2/32', 4],
    ['  10.0.0.1/32\t', '10.0.0.1/32', 4],
    ['2001:DB8:0:0::1', '2001:db8::1/128', 6],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1/128', 6],
    ['2001:db8::/32', '2001:db8::/32', 6],
    ['2001:DB8::/32', '2001:db8::/32', 6],
    ['::', '::/128', 6],
    ['::/0', '::/0', 6],
    ['::1', '::1/128', 6],
    ['8000::/1', '8000::/1', 6],
    ['fe80::/10', 'fe80::/10', 6],
    ['2001:db8::/127', '2001:db8::/127', 6],
    // RFC 5952: no `::` for a single zero group; the longest run; the first of equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1/128', 6],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1/128', 6],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1/128', 6],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0/128', 6],
    // mixed notation that is not IPv4-mapped stays IPv6
    ['::0.0.0.1', '::1/128', 6],
    ['::192.0.2.1', '::c000:201/128', 6],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221/128', 6],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304/128', 6],
    ['::ffff:0:1.2.3.4', '::ffff:0:102:304/128', 6],
    // IPv4-mapped entries are IPv4
    ['::ffff:10.0.0.0/104', '10.0.0.0/8', 4],
    ['::ffff:192.0.2.1', '192.0.2.1/32', 4],
    ['::FFFF:192.0.2.1/128', '192.0.2.1/32', 4],
    ['::ffff:c000:201', '192.0.2.1/32', 4],
    ['0:0:0:0:0:ffff:192.0.2.128/121', '192.0.2.128/25', 4],
    ['::ffff:0.0.0.0/96', '0.0.0.0/0', 4],
  ] as const)('%j → %s', (input, cidr, family) => {
    const result = parseAllowlistEntry(input);
    expect(result).toMatchObject({ ok: true, value: { cidr, family, prefix: Number(cidr.split('/')[1]) } });
  });

  it('returns the network words', () => {
    expect(parseAllowlistEntry('10.1.0.0/16')).toEqual({
      ok: true,
      value: { family: 4, words: [0x0a010000], prefix: 16, cidr: '10.1.0.0/16' },
    });
    expect(parseAllowlistEntry('2001:db8::/32')).toEqual({
      ok: true,
      value: { family: 6, words: [0x20010db8, 0, 0, 0], prefix: 32, cidr: '2001:db8::/32' },
    });
  });
});

describe('parseAllowlistEntry: refused entries quote the entry and say why', () => {
  it.each([
    ['127.1', 'four decimal parts'],
    ['1.2.3', 'four decimal parts'],
    ['1.2.3.4.5', 'four decimal parts'],
    ['010.0.0.1', 'leading zeros'],
    ['10.0.0.01', 'leading zeros'],
    ['0x7f.0.0.1', 'hexadecimal'],
    ['127.0.0.0x1', 'hexadecimal'],
    ['2130706433', 'four decimal parts'],
    ['1.2.3.256', 'from 0 to 255'],
    ['999.0.0.1', 'from 0 to 255'],
    ['fe80::1%eth0', 'zone ids'],
    ['fe80::1%1/64', 'zone ids'],
    ['10.0.0.0/33', 'prefix length must be a number from 0 to 32'],
    ['2001:db8::/129', 'prefix length must be a number from 0 to 128'],
    ['::ffff:10.0.0.0/129', 'prefix length must be a number from 0 to 128'],
    ['1.2.3.4/', 'prefix length'],
    ['1.2.3.4/08', 'prefix length'],
    ['1.2.3.4/-1', 'prefix length'],
    ['1.2.3.4/+8', 'prefix length'],
    ['1.2.3.4/8/8', 'prefix length'],
    ['1.2.3.4/ 8', 'prefix length'],
    ['::/00', 'prefix length'],
    ['10.0.0.1/8', 'host bits are set; did you mean 10.0.0.0/8?'],
    ['192.168.1.1/31', 'did you mean 192.168.1.0/31?'],
    ['128.0.0.1/1', 'did you mean 128.0.0.0/1?'],
    ['1.2.3.4/0', 'did you mean 0.0.0.0/0?'],
    ['2001:db8::1/32', 'host bits are set; did you mean 2001:db8::/32?'],
    ['::1/0', 'did you mean ::/0?'],
    ['2001:DB8::1/127', 'did you mean 2001:db8::/127?'],
    ['::ffff:10.0.0.1/104', 'did you mean ::ffff:10.0.0.0/104?'],
    ['::ffff:10.0.0.0/95', 'at least 96'],
    ['hello', 'not an IP address'],
    ['/24', 'not an IP address'],
    ['::ffff:127.1', 'not an IP address'],
    ['::ffff:1.2.3.04', 'not an IP address'],
    ['::ffff:0x7f.0.0.1', 'not an IP address'],
    ['1:2:3:4:5:6:7:8:9', 'not an IP address'],
    ['1::2:3:4:5:6:7:8', 'not an IP address'],
    ['1:2:3:4:5:6:7:1.2.3.4', 'not an IP address'],
    ['12345::', 'not an IP address'],
    ['1::2::3', 'not an IP address'],
    [':1::', 'not an IP address'],
    ['[::1]', 'not an IP address'],
    ['1.2.3.4 /8', 'not an IP address'],
    ['１２７.0.0.1', 'not an IP address'],
    ['localhost', 'not an IP address'],
  ])('%j: %s', (input, reason) => {
    const result = parseAllowlistEntry(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(JSON.stringify(input.trim()));
    expect(result.error).toContain(reason);
  });

  it.each(['', '   ', '\t'])('refuses an empty entry %j', (input) => {
    expect(parseAllowlistEntry(input)).toEqual({ ok: false, error: expect.stringContaining('empty') });
  });
});

describe('parseAllowlist', () => {
  it('ignores blank lines and surrounding whitespace (text with one entry per line)', () => {
    expect(parseAllowlist('\n  10.0.0.0/8  \r\n\r\n\t2001:db8::/32\n   \n')).toEqual({
      cidrs: ['10.0.0.0/8', '2001:db8::/32'],
      errors: [],
    });
  });

  it('merges duplicates after canonicalisation, keeping first-seen order', () => {
    expect(
      parseAllowlist(['2001:DB8:0:0::1', '10.0.0.1', '10.0.0.1/32', ' 10.0.0.1 ', '::ffff:10.0.0.1', '2001:db8::1/128', '::ffff:a00:0/104', '10.0.0.0/8']).cidrs,
    ).toEqual(['2001:db8::1/128', '10.0.0.1/32', '10.0.0.0/8']);
  });

  it('reports each bad entry with its index, its input and a message, and keeps the good ones', () => {
    const result = parseAllowlist(['10.0.0.0/8', '', '127.1', '2001:db8::/32', '10.0.0.1/8', '127.1']);
    expect(result.cidrs).toEqual(['10.0.0.0/8', '2001:db8::/32']);
    expect(result.errors).toEqual([
      { index: 2, input: '127.1', message: expect.stringContaining('"127.1"') },
      { index: 4, input: '10.0.0.1/8', message: expect.stringContaining('did you mean 10.0.0.0/8?') },
      { index: 5, input: '127.1', message: expect.stringContaining('"127.1"') },
    ]);
  });

  it('indexes errors by line in a text, blank lines included', () => {
    const result = parseAllowlist('10.0.0.0/8\n\nfe80::1%eth0\r\n1.2.3.4/33');
    expect(result.errors.map((e) => [e.index, e.input])).toEqual([
      [2, 'fe80::1%eth0'],
      [3, '1.2.3.4/33'],
    ]);
  });

  it('accepts an empty list', () => {
    expect(parseAllowlist([])).toEqual({ cidrs: [], errors: [] });
    expect(parseAllowlist('')).toEqual({ cidrs: [], errors: [] });
  });
});

describe('normalizeIp', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::FFFF:7F00:1', '127.0.0.1'],
    ['0:0:0:0:0:ffff:7f00:1', '127.0.0.1'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
    ['::1', '::1'],
    ['::0.0.0.1', '::1'],
    ['::', '::'],
  ])('%j → %s', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });

  it.each(['', 'hello', '127.1', '010.0.0.1', '2130706433', 'fe80::1%eth0', '::ffff:127.1', '10.0.0.0/8', 'unknown'])(
    '%j → null',
    (input) => {
      expect(normalizeIp(input)).toBeNull();
    },
  );
});

describe('IpAllowlist', () => {
  const matrix = (cidrs: string[], yes: string[], no: string[]) => {
    const list = new IpAllowlist(cidrs);
    for (const ip of yes) expect(list.matches(ip), `${ip} in ${cidrs.join(', ')}`).toBe(true);
    for (const ip of no) expect(list.matches(ip), `${ip} not in ${cidrs.join(', ')}`).toBe(false);
  };

  it('compiles entries, accepting any valid form, and refuses invalid ones', () => {
    expect(new IpAllowlist([]).size).toBe(0);
    expect(new IpAllowlist(['10.0.0.0/8', '2001:DB8::/32', '::ffff:192.0.2.1']).size).toBe(3);
    expect(() => new IpAllowlist(['10.0.0.1/8'])).toThrow(/did you mean 10\.0\.0\.0\/8\?/);
    expect(() => new IpAllowlist(['127.1'])).toThrow(/"127\.1"/);
  });

  it('matches nothing when empty', () => {
    matrix([], [], ['127.0.0.1', '::1', '0.0.0.0', '::']);
  });

  it('IPv4 boundaries: /0, /1, /8, /31, /32', () => {
    matrix(['0.0.0.0/0'], ['0.0.0.0', '255.255.255.255', '10.1.2.3', '::ffff:1.2.3.4'], ['::', '::1', '2001:db8::1']);
    matrix(['128.0.0.0/1'], ['128.0.0.0', '200.1.2.3', '255.255.255.255'], ['127.255.255.255', '0.0.0.0']);
    matrix(['0.0.0.0/1'], ['0.0.0.0', '127.255.255.255'], ['128.0.0.0', '255.255.255.255']);
    matrix(['10.0.0.0/8'], ['10.0.0.0', '10.128.0.1', '10.255.255.255'], ['9.255.255.255', '11.0.0.0']);
    matrix(['192.168.1.2/31'], ['192.168.1.2', '192.168.1.3'], ['192.168.1.1', '192.168.1.4']);
    matrix(['192.168.1.2/32'], ['192.168.1.2'], ['192.168.1.1', '192.168.1.3']);
    matrix(['255.255.255.254/31'], ['255.255.255.254', '255.255.255.255'], ['255.255.255.253']);
    matrix(['0.0.0.0/32'], ['0.0.0.0'], ['0.0.0.1']);
  });

  it('IPv6 boundaries: /0, /1, /32, /64, /65, /96, /127, /128', () => {
    const top = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
    matrix(['::/0'], ['::', '::1', top, '2001:db8::1'], ['0.0.0.0', '1.2.3.4']);
    matrix(['8000::/1'], ['8000::', top], ['7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '::']);
    matrix(['::/1'], ['::', '7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'], ['8000::']);
    matrix(['2001:db8::/32'], ['2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'], ['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db9::']);
    matrix(['2001:db8:0:1::/64'], ['2001:db8:0:1::', '2001:db8:0:1:ffff:ffff:ffff:ffff'], ['2001:db8:0:0:ffff:ffff:ffff:ffff', '2001:db8:0:2::']);
    matrix(['2001:db8:0:1:8000::/65'], ['2001:db8:0:1:8000::', '2001:db8:0:1:ffff:ffff:ffff:ffff'], ['2001:db8:0:1:7fff:ffff:ffff:ffff', '2001:db8:0:2::']);
    matrix(['2001:db8::1:0:0/96'], ['2001:db8::1:0:0', '2001:db8::1:ffff:ffff'], ['2001:db8::0:ffff:ffff', '2001:db8::2:0:0']);
    matrix(['2001:db8::/127'], ['2001:db8::', '2001:db8::1'], ['2001:db8::2', '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff']);
    matrix(['2001:db8::1/128'], ['2001:db8::1', '2001:DB8:0:0:0:0:0:1', '2001:db8::0.0.0.1'], ['2001:db8::', '2001:db8::2']);
    matrix([top + '/128'], [top], ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe']);
  });

  it('matches IPv4-mapped client addresses against IPv4 entries, and IPv4-mapped entries against IPv4 clients', () => {
    matrix(['127.0.0.0/8'], ['127.0.0.1', '::ffff:127.0.0.1', '::FFFF:7F00:1', '0:0:0:0:0:ffff:127.255.255.255'], ['::ffff:128.0.0.1', '::127.0.0.1', '::1']);
    matrix(['::ffff:10.0.0.0/104'], ['10.0.0.0', '10.255.255.255', '::ffff:10.1.2.3'], ['11.0.0.0', '::a01:203']);
  });

  it('never matches across families and never throws', () => {
    matrix(['2001:db8::/32', 'fe80::/10'], [], ['127.0.0.1', '0.0.0.0', '::ffff:127.0.0.1']);
    matrix(['0.0.0.0/0'], [], ['::', '::1', '2001:db8::1', 'fe80::1', '::ffff:0:0:1']);
    // Spec choice, unlike net.BlockList (which checks an IPv4 address against IPv6 rules through
    // its mapped form): an IPv6-only list never admits an IPv4 client, not even ::/0.
    const list = new net.BlockList();
    list.addSubnet('::', 0, 'ipv6');
    expect(list.check('1.2.3.4', 'ipv4')).toBe(true);
    expect(new IpAllowlist(['::/0']).matches('1.2.3.4')).toBe(false);
  });

  it('returns false for anything that is not an address', () => {
    const list = new IpAllowlist(['0.0.0.0/0', '::/0', 'fe80::/10']);
    for (const garbage of ['', ' ', 'hello', 'unknown', '127.1', '010.0.0.1', '0x7f.0.0.1', '2130706433', '1.2.3.256', 'fe80::1%eth0', '10.0.0.1/32', '::/0', ' 127.0.0.1', '::ffff:127.1', '[::1]', '1:2:3:4:5:6:7:8:9']) {
      expect(list.matches(garbage), JSON.stringify(garbage)).toBe(false);
    }
    for (const wrongType of [undefined, null, 42, {}, ['127.0.0.1']]) {
      expect(list.matches(wrongType as unknown as string)).toBe(false);
      expect(normalizeIp(wrongType as unknown as string)).toBeNull();
    }
  });
});

describe('properties', () => {
  it('IpAllowlist.matches agrees with net.BlockList, comparing for the normalised address', () => {
    fc.assert(
      fc.property(fc.array(cidrArb, { maxLength: 8 }), clientArb, (cidrs, c) => {
        const client = makeClient(cidrs, c);
        const text = clientText(client, c.choice);
        // Fair comparison: one BlockList per family, checked with the address the text really is
        // (IPv4-mapped → IPv4). See the next property for BlockList fed the raw text.
        const refs = cidrs.map((x) => x.ref);
        const expected =
          client.family === 4
            ? blockList(refs.filter((r) => r.family === 4)).check(fmt4(client.v), 'ipv4')
            : blockList(refs.filter((r) => r.family === 6)).check(full6(client.v), 'ipv6');
        expect(expected).toBe(refs.some((r) => refContains(r, client))); // the oracle agrees with plain arithmetic
        expect(new IpAllowlist(cidrs.map((x) => x.text)).matches(text)).toBe(expected);
      }),
      RUNS,
    );
  });

  it('agrees with a single net.BlockList fed the raw client text, except that IPv6 rules never admit IPv4 clients', () => {
    fc.assert(
      fc.property(fc.array(cidrArb, { maxLength: 8 }), clientArb, (cidrs, c) => {
        const client = makeClient(cidrs, c);
        const text = clientText(client, c.choice);
        const refs = cidrs.map((x) => x.ref);
        const family = net.isIP(text) === 4 ? 'ipv4' : 'ipv6';
        const blocked = blockList(refs).check(text, family);
        const ours = new IpAllowlist(cidrs.map((x) => x.text)).matches(text);
        const viaMappedV6Rule =
          client.family === 4 && refs.some((r) => r.family === 6 && network6(MAPPED_PREFIX | BigInt(client.v), r.prefix) === r.net);
        if (viaMappedV6Rule && !ours) expect(blocked).toBe(true);
        else expect(ours).toBe(blocked);
      }),
      RUNS,
    );
  });

  it('entries come out canonical and round-trip; bare addresses are /32 or /128', () => {
    fc.assert(
      fc.property(cidrArb, ({ text, ref }) => {
        const parsed = parseAllowlistEntry(text);
        expect(parsed).toMatchObject({ ok: true, value: { family: ref.family, prefix: ref.prefix, cidr: canonicalCidr(ref) } });
        if (!parsed.ok) return;
        expect(parseAllowlistEntry(parsed.value.cidr)).toEqual(parsed);
        expect(parseAllowlist([text, ` ${parsed.value.cidr} `]).cidrs).toEqual([parsed.value.cidr]);
      }),
      RUNS,
    );
  });

  it('normalizeIp gives the IPv4 address or the RFC 5952 text of any textual form', () => {
    fc.assert(
      fc.property(fc.oneof(u32.map((v): Addr => ({ family: 4, v })), u128.map(classify6)), fc.nat(), (addr, choice) => {
        const text = clientText(addr, choice);
        expect(net.isIP(text), text).not.toBe(0); // the generators only write valid forms
        expect(normalizeIp(text)).toBe(expectedText(addr));
        expect(parseAllowlistEntry(text)).toMatchObject({
          ok: true,
          value: { cidr: `${expectedText(addr)}/${addr.family === 4 ? 32 : 128}` },
        });
      }),
      RUNS,
    );
  });

  it('a CIDR with host bits set is refused with the network as suggestion', () => {
    fc.assert(
      fc.property(fc.oneof(u32.map((v): Addr => ({ family: 4, v })), u128.map(classify6)), fc.nat(), fc.nat(), (addr, p, choice) => {
        const prefix = p % (addr.family === 4 ? 33 : 129);
        const netText =
          addr.family === 4 ? fmt4(network4(addr.v, prefix)) : rfc5952(network6(addr.v, prefix));
        fc.pre(netText !== expectedText(addr));
        const text = `${addr.family === 4 ? fmt4(addr.v) : v6Form(addr.v, choice)}/${prefix}`;
        const result = parseAllowlistEntry(text);
        expect(result).toEqual({ ok: false, error: `${JSON.stringify(text)}: host bits are set; did you mean ${netText}/${prefix}?` });
      }),
      RUNS,
    );
  });

  it('accepts exactly the addresses net.isIP accepts (near misses of valid forms, no zone ids)', () => {
    const alphabet = [...'0123456789abcdefABCDEFx:./ '];
    const mutation = fc.tuple(fc.constantFrom('delete', 'insert', 'replace', 'duplicate'), fc.nat(), fc.constantFrom(...alphabet));
    const nearMiss = fc
      .tuple(fc.oneof(u32.map((v): Addr => ({ family: 4, v })), u128.map(classify6)), fc.nat(), fc.array(mutation, { maxLength: 3 }))
      .map(([addr, choice, mutations]) => {
        let s = clientText(addr, choice);
        for (const [op, at, ch] of mutations) {
          const i = s.length === 0 ? 0 : at % s.length;
          if (op === 'delete') s = s.slice(0, i) + s.slice(i + 1);
          else if (op === 'insert') s = s.slice(0, i) + ch + s.slice(i);
          else if (op === 'replace') s = s.slice(0, i) + ch + s.slice(i + 1);
          else s = s.slice(0, i) + s.slice(i, i + 2) + s.slice(i);
        }
        return s;
      });
    fc.assert(
      fc.property(nearMiss, (s) => {
        const valid = net.isIP(s) !== 0;
        expect(normalizeIp(s) !== null, s).toBe(valid);
        if (!s.includes('/')) expect(parseAllowlistEntry(s).ok, s).toBe(net.isIP(s.trim()) !== 0);
        if (valid) {
          // same address as Node reads it
          const list = new net.BlockList();
          list.addAddress(s, net.isIP(s) === 4 ? 'ipv4' : 'ipv6');
          const normalized = normalizeIp(s)!;
          expect(list.check(normalized, net.isIP(normalized) === 4 ? 'ipv4' : 'ipv6'), s).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on arbitrary input; errors always quote the entry', () => {
    const list = new IpAllowlist(['0.0.0.0/0', '::/0']);
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        expect(typeof list.matches(s)).toBe('boolean');
        expect(list.matches(s)).toBe(normalizeIp(s) !== null);
        const result = parseAllowlistEntry(s);
        if (!result.ok && s.trim() !== '') expect(result.error.startsWith(`${JSON.stringify(s.trim())}: `)).toBe(true);
        const all = parseAllowlist(s);
        expect(all.cidrs.length + all.errors.length).toBeLessThanOrEqual(s.split(/\r?\n/).length);
      }),
      RUNS,
    );
  });
});

describe('addressBlock', () => {
  it('counts IPv4 per address and IPv6 per /64, IPv4-mapped IPv6 as IPv4', () => {
    expect(addressBlock('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBlock('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBlock('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:db8:1:2::1')).toBe(addressBlock('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(addressBlock('2001:db8:1:3::1')).not.toBe(addressBlock('2001:db8:1:2::1'));
    expect(addressBlock('::1')).toBe('::/64');
    expect(addressBlock('not an address')).toBeNull();
  });

  it('every address of a random /64 falls in the same block, which is that /64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: V6_MAX }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v, host) => {
        const network = (v >> 64n) << 64n;
        fc.pre((network & ~0xffffffffn) !== MAPPED_PREFIX && network !== 0n);
        const block = addressBlock(full6(network | host));
        expect(block).toBe(`${rfc5952(network)}/64`);
      }),
    );
  });
});
