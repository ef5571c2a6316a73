import { ClientIpResolver } from './client-ip';

describe('ClientIpResolver', () => {
  const none = new ClientIpResolver({ trustedProxies: [] });
  const trusting = new ClientIpResolver({ trustedProxies: ['10.0.0.0/8', '::1/128'] });

  it('uses the socket address and reports IPv4-mapped IPv6 as IPv4', () => {
    expect(none.compute('::ffff:203.0.113.7', undefined)).toBe('203.0.113.7');
    expect(none.compute('2001:DB8::1', undefined)).toBe('2001:db8::1');
  });

  it('ignores X-Forwarded-For unless the peer is a trusted proxy', () => {
    expect(none.compute('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(trusting.compute('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
  });

  it('takes the rightmost entry that is not a trusted proxy', () => {
    expect(trusting.compute('10.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(trusting.compute('10.0.0.1', '6.6.6.6, 198.51.100.1, 10.2.3.4')).toBe('198.51.100.1');
    expect(trusting.compute('::1', ['6.6.6.6', '198.51.100.1'])).toBe('198.51.100.1');
    expect(trusting.compute('::ffff:10.0.0.1', '::ffff:198.51.100.1')).toBe('198.51.100.1');
  });

  it('falls back to the peer when the chain is all proxies or holds garbage', () => {
    expect(trusting.compute('10.0.0.1', '10.9.9.9, 10.0.0.2')).toBe('10.0.0.1');
    expect(trusting.compute('10.0.0.1', '198.51.100.1, garbage')).toBe('10.0.0.1');
    expect(trusting.compute('10.0.0.1', '')).toBe('10.0.0.1');
  });
});
