import ipaddr from 'ipaddr.js';

/**
 * Strict parsing and fast matching of IP allowlists ("allowed IPs" of an API token).
 *
 * One implementation serves the API (authoritative) and the web form (feedback per line):
 * - IPv4: four decimal parts 0-255, no leading zeros (`127.1`, `010.0.0.1`, `0x7f.0.0.1` and
 *   `2130706433` are refused: other tools read them as different addresses);
 * - IPv6: any valid textual form, stored in canonical (RFC 5952) form; no zone ids;
 * - a bare address means /32 (IPv4) or /128 (IPv6);
 * - a CIDR must not have host bits set ("did you mean 10.0.0.0/8?");
 * - IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is treated as the IPv4 address it carries, both in
 *   entries (with a prefix of at least 96) and in client addresses.
 */

export type IpFamily = 4 | 6;

/** A parsed address: IPv4 as one 32-bit word, IPv6 as four. */
interface ParsedIp {
  family: IpFamily;
  words: number[];
}

export interface ParsedCidr {
  family: IpFamily;
  /** Network address words, host bits cleared. */
  words: number[];
  prefix: number;
  /** Canonical text, e.g. "203.0.113.0/24", "2001:db8::/32". */
  cidr: string;
}

export type ParseEntryResult = { ok: true; value: ParsedCidr } | { ok: false; error: string };

const FOUR_PART_DECIMAL = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;
const PREFIX = /^(0|[1-9]\d{0,2})$/;

function parseIpv4(text: string): number[] | null {
  const m = FOUR_PART_DECIMAL.exec(text);
  if (!m) return null;
  let word = 0;
  for (let i = 1; i <= 4; i++) {
    const n = Number(m[i]);
    if (n > 255) return null;
    word = word * 256 + n;
  }
  return [word >>> 0];
}

function parseIpv6(input: string): number[] | null {
  if (input.includes('%')) return null;
  // An embedded IPv4 tail (::ffff:1.2.3.4) must itself be four-part decimal. It is rewritten as
  // two hex groups before ipaddr.js sees it: ipaddr.js reads `::a.b.c.d` as `::ffff:a.b.c.d`,
  // while RFC 4291 (and Node) read it as `::ab:cd` (so `::0.0.0.1` is `::1`, not IPv4).
  let text = input;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = lastColon === -1 ? null : parseIpv4(tail);
    if (!v4) return null;
    text = `${text.slice(0, lastColon + 1)}${(v4[0] >>> 16).toString(16)}:${(v4[0] & 0xffff).toString(16)}`;
  }
  if (!/^[0-9a-fA-F:]+$/.test(text) || !ipaddr.IPv6.isValid(text)) return null;
  const parts = ipaddr.IPv6.parse(text).parts;
  return [0, 1, 2, 3].map((i) => ((parts[2 * i] << 16) | parts[2 * i + 1]) >>> 0);
}

function isMappedIpv4(words: number[]): boolean {
  return words[0] === 0 && words[1] === 0 && words[2] === 0xffff;
}

/** Parses a single address strictly; IPv4-mapped IPv6 comes back as IPv4. */
function parseAddress(text: string): ParsedIp | null {
  if (typeof text !== 'string') return null; // callers in plain JS: "never throws" holds for them too
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, words: v4 };
  const v6 = parseIpv6(text);
  if (!v6) return null;
  if (isMappedIpv4(v6)) return { family: 4, words: [v6[3]] };
  return { family: 6, words: v6 };
}

function maskWords(words: number[], prefix: number): number[] {
  return words.map((w, i) => {
    const bits = Math.max(0, Math.min(32, prefix - 32 * i));
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (w & mask) >>> 0;
  });
}

function formatWords(family: IpFamily, words: number[]): string {
  if (family === 4) {
    const w = words[0];
    return [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255].join('.');
  }
  const parts: number[] = [];
  for (const w of words) parts.push(w >>> 16, w & 0xffff);
  return new ipaddr.IPv6(parts).toRFC5952String();
}

function describeBadAddress(text: string): string {
  if (text.includes('%')) return 'zone ids (the part after "%") are not allowed';
  if (/^\d+$/.test(text)) return 'not an IP address; write IPv4 as four decimal parts, e.g. 203.0.113.7';
  if (/^0x/i.test(text) || /\.0x/i.test(text)) return 'hexadecimal parts are not allowed; write IPv4 as four decimal parts';
  if (/^[\d.]+$/.test(text)) {
    const parts = text.split('.');
    if (parts.length !== 4) return 'IPv4 needs four decimal parts, e.g. 203.0.113.7';
    if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return 'leading zeros are not allowed';
    return 'each IPv4 part must be a number from 0 to 255';
  }
  return 'not an IP address or CIDR';
}

/**
 * Parses one allowlist entry: an address or a CIDR. Surrounding whitespace is ignored; the
 * error message quotes the entry and says what is wrong with it.
 */
export function parseAllowlistEntry(input: string): ParseEntryResult {
  const text = input.trim();
  const quoted = JSON.stringify(text);
  if (text === '') return { ok: false, error: 'an empty entry is not an IP address' };
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const address = parseAddress(addressText);
  if (!address) return { ok: false, error: `${quoted}: ${describeBadAddress(addressText)}` };

  const mappedEntry = address.family === 4 && !parseIpv4(addressText);
  const maxPrefix = address.family === 4 ? 32 : 128;
  let prefix = maxPrefix;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    const writtenMax = mappedEntry ? 128 : maxPrefix;
    if (!PREFIX.test(prefixText) || Number(prefixText) > writtenMax) {
      return { ok: false, error: `${quoted}: the prefix length must be a number from 0 to ${writtenMax}` };
    }
    prefix = Number(prefixText);
    if (mappedEntry) {
      if (prefix < 96) {
        return { ok: false, error: `${quoted}: an IPv4-mapped range needs a prefix of at least 96; write it as IPv4` };
      }
      prefix -= 96;
    }
  }
  const network = maskWords(address.words, prefix);
  const canonical = `${formatWords(address.family, network)}/${prefix}`;
  if (network.some((w, i) => w !== address.words[i])) {
    const suggestion = mappedEntry ? `::ffff:${formatWords(4, network)}/${prefix + 96}` : canonical;
    return { ok: false, error: `${quoted}: host bits are set; did you mean ${suggestion}?` };
  }
  return { ok: true, value: { family: address.family, words: network, prefix, cidr: canonical } };
}

export interface AllowlistIssue {
  /** Zero-based index of the entry (or line) in the input. */
  index: number;
  input: string;
  message: string;
}

export interface ParsedAllowlist {
  /** Canonical CIDRs, duplicates merged, in first-seen order. */
  cidrs: string[];
  errors: AllowlistIssue[];
}

/**
 * Parses a list of entries (or a text with one entry per line). Blank entries are ignored and
 * duplicates (after canonicalisation) merged.
 */
export function parseAllowlist(input: readonly string[] | string): ParsedAllowlist {
  const entries = typeof input === 'string' ? input.split(/\r?\n/) : input;
  const cidrs: string[] = [];
  const seen = new Set<string>();
  const errors: AllowlistIssue[] = [];
  entries.forEach((raw, index) => {
    if (raw.trim() === '') return;
    const result = parseAllowlistEntry(raw);
    if (!result.ok) {
      errors.push({ index, input: raw, message: result.error });
      return;
    }
    if (!seen.has(result.value.cidr)) {
      seen.add(result.value.cidr);
      cidrs.push(result.value.cidr);
    }
  });
  return { cidrs, errors };
}

/**
 * Normalises a client address (e.g. a socket's remote address) for display and matching:
 * IPv4-mapped IPv6 becomes IPv4 and IPv6 becomes canonical. Returns null for anything that is
 * not an address.
 */
export function normalizeIp(address: string): string | null {
  const parsed = parseAddress(address);
  return parsed ? formatWords(parsed.family, parsed.words) : null;
}

/**
 * The block an address is counted in when one client should not get a fresh budget per address:
 * an IPv4 address is itself, an IPv6 address is its /64 (a single customer usually holds a whole
 * /64, so per-/128 counting would give it 2^64 fresh counters). Null for anything not an address.
 */
export function addressBlock(address: string, ipv6Prefix = 64): string | null {
  const parsed = parseAddress(address);
  if (!parsed) return null;
  if (parsed.family === 4) return formatWords(4, parsed.words);
  return `${formatWords(6, maskWords(parsed.words, ipv6Prefix))}/${ipv6Prefix}`;
}

/** A compiled allowlist: matching an address costs a few integer comparisons per entry. */
export class IpAllowlist {
  private readonly v4: Array<[network: number, mask: number]> = [];
  private readonly v6: Array<{ words: number[]; masks: number[] }> = [];

  constructor(cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const parsed = parseAllowlistEntry(cidr);
      if (!parsed.ok) throw new Error(`invalid allowlist entry: ${parsed.error}`);
      const { family, words, prefix } = parsed.value;
      const masks = maskWords([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], prefix);
      if (family === 4) this.v4.push([words[0], masks[0]]);
      else this.v6.push({ words, masks });
    }
  }

  get size(): number {
    return this.v4.length + this.v6.length;
  }

  /** True when the address falls inside one of the entries. Never throws; false for garbage. */
  matches(address: string): boolean {
    const ip = parseAddress(address);
    if (!ip) return false;
    if (ip.family === 4) {
      const w = ip.words[0];
      for (const [network, mask] of this.v4) if (((w & mask) >>> 0) === network) return true;
      return false;
    }
    const [a, b, c, d] = ip.words;
    for (const { words, masks } of this.v6) {
      if (
        ((a & masks[0]) >>> 0) === words[0] &&
        ((b & masks[1]) >>> 0) === words[1] &&
        ((c & masks[2]) >>> 0) === words[2] &&
        ((d & masks[3]) >>> 0) === words[3]
      ) {
        return true;
      }
    }
    return false;
  }
}
