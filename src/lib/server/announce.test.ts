import { afterEach, describe, expect, it } from 'vitest';
import { lanAddress, publicOrigin } from './announce';
import type { Runtime } from './runtime';

const runtime = (publicUrl?: string) => ({ config: { publicUrl } }) as unknown as Runtime;
const host = process.env.HOST;

describe('the address phones and recap links use', () => {
  afterEach(() => {
    if (host === undefined) delete process.env.HOST;
    else process.env.HOST = host;
  });

  it('is the configured public URL, however the page was asked for', () => {
    expect(publicOrigin(runtime('https://kennisdag.example.org'), new URL('http://localhost:3000/e/x'))).toBe('https://kennisdag.example.org');
  });

  it('is this machine’s LAN address when the organiser works on it and the server listens on the network', () => {
    delete process.env.HOST;
    const lan = lanAddress();
    expect(publicOrigin(runtime(), new URL('http://localhost:3000/e/x'))).toBe(lan ? `http://${lan}:3000` : 'http://localhost:3000');
    process.env.HOST = '::';
    expect(publicOrigin(runtime(), new URL('http://127.0.0.1:3000/e/x'))).toBe(lan ? `http://${lan}:3000` : 'http://127.0.0.1:3000');
  });

  it('is the address asked for when the server listens on this computer only, or was asked from the network', () => {
    process.env.HOST = '127.0.0.1';
    expect(publicOrigin(runtime(), new URL('http://127.0.0.1:3000/e/x'))).toBe('http://127.0.0.1:3000');
    delete process.env.HOST;
    expect(publicOrigin(runtime(), new URL('http://192.0.2.7:3000/e/x'))).toBe('http://192.0.2.7:3000');
  });
});
