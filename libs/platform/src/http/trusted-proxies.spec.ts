import Fastify from 'fastify';
import { trustedProxies } from './http-app';

/** The client address and scheme Fastify derives, under a TRUST_PROXY setting, for a request from `peer`. */
async function seen(
  setting: string,
  peer: string,
  headers: Record<string, string>,
): Promise<{ ip: string; protocol: string }> {
  const app = Fastify({ trustProxy: trustedProxies(setting) });
  app.get('/', (request) => ({ ip: request.ip, protocol: request.protocol }));
  try {
    return (await app.inject({ url: '/', remoteAddress: peer, headers })).json();
  } finally {
    await app.close();
  }
}

describe('TRUST_PROXY', () => {
  const forwarded = { 'x-forwarded-for': '198.51.100.1, 203.0.113.2', 'x-forwarded-proto': 'https' };

  it('"none" ignores forwarding headers', async () => {
    expect(await seen('none', '127.0.0.1', forwarded)).toEqual({ ip: '127.0.0.1', protocol: 'http' });
  });

  it('a hop count takes the entry that many proxies in, never what the client wrote before them', async () => {
    expect((await seen('1', '10.0.0.5', forwarded)).ip).toBe('203.0.113.2');
    expect((await seen('2', '10.0.0.5', forwarded)).ip).toBe('198.51.100.1');
  });

  it('an address list trusts only those peers', async () => {
    expect(await seen('loopback', '127.0.0.1', forwarded)).toEqual({ ip: '203.0.113.2', protocol: 'https' });
    expect(await seen('loopback', '10.0.0.5', forwarded)).toEqual({ ip: '10.0.0.5', protocol: 'http' });
    expect((await seen('10.0.0.0/8, 127.0.0.1', '10.0.0.5', forwarded)).ip).toBe('203.0.113.2');
  });
});
