import type { IncomingMessage } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { IpAllowlist, normalizeIp } from '@conduit/contracts';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * The client address, computed once per request and used for the allowlist, throttling,
 * last-used tracking and logs.
 *
 * It is the socket's peer address. Only when that peer is a trusted proxy (TRUSTED_PROXIES) is
 * X-Forwarded-For read, from the right: the first entry that is not itself a trusted proxy is the
 * client. Entries to its left were written by the client and are never believed. IPv4-mapped IPv6
 * addresses are reported as IPv4.
 */
@Injectable()
export class ClientIpResolver {
  private readonly trusted: IpAllowlist;
  /** Where this resolver keeps its answer on the request (per instance: apps in one process differ). */
  private readonly key = Symbol('clientIp');

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'trustedProxies'>) {
    this.trusted = new IpAllowlist(config.trustedProxies);
  }

  resolve(raw: IncomingMessage): string {
    const slot = raw as IncomingMessage & Record<symbol, string | undefined>;
    return (slot[this.key] ??= this.compute(raw.socket?.remoteAddress, raw.headers['x-forwarded-for']));
  }

  /**
   * Whether the request reached us over HTTPS: a TLS socket, or a trusted proxy (TRUSTED_PROXIES)
   * saying so in X-Forwarded-Proto (its last entry: the one that proxy wrote). From anyone else
   * the header is ignored.
   */
  isHttps(raw: IncomingMessage): boolean {
    if ((raw.socket as { encrypted?: boolean } | undefined)?.encrypted === true) return true;
    const proto = raw.headers['x-forwarded-proto'];
    if (!proto || this.trusted.size === 0) return false;
    const socketAddress = raw.socket?.remoteAddress;
    const peer = (socketAddress && normalizeIp(socketAddress)) || socketAddress;
    if (!peer || !this.trusted.matches(peer)) return false;
    const last = (Array.isArray(proto) ? proto.join(',') : proto).split(',').pop();
    return last?.trim().toLowerCase() === 'https';
  }

  compute(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
    const peer = (socketAddress && normalizeIp(socketAddress)) || socketAddress || 'unknown';
    if (this.trusted.size === 0 || !forwardedFor || !this.trusted.matches(peer)) return peer;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalizeIp(hops[i]);
      if (!hop) return peer; // garbage in the chain: do not guess past it
      if (!this.trusted.matches(hop)) return hop;
    }
    return peer;
  }
}
