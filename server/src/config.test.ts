import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration from the environment', () => {
  it('defaults to the embedded SQLite under ./data on port 8080', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.database.kind).toBe('sqlite');
    expect(c.dataDir.endsWith('/data')).toBe(true);
  });

  it('uses PostgreSQL when SHULAN_DATABASE_URL is a postgres URL', () => {
    const c = loadConfig({ SHULAN_DATABASE_URL: 'postgres://u@h:5432/db' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/db' });
  });

  it('resolves relative dates in Asia/Shanghai unless SHULAN_TIME_ZONE names another zone', () => {
    expect(loadConfig({}).timeZone).toBe('Asia/Shanghai');
    expect(loadConfig({ SHULAN_TIME_ZONE: 'Europe/Berlin' }).timeZone).toBe('Europe/Berlin');
    expect(() => loadConfig({ SHULAN_TIME_ZONE: 'Mars/Olympus' })).toThrow(/SHULAN_TIME_ZONE.*not a time zone/);
  });

  it('trusts no proxy by default, and takes addresses, CIDRs and named ranges', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ SHULAN_TRUSTED_PROXIES: '127.0.0.1, ::1,10.0.0.0/8 ,fd00::/8,loopback' }).trustedProxies).toEqual([
      '127.0.0.1',
      '::1',
      '10.0.0.0/8',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses a trusted proxy that is not an address, naming the variable and the value', () => {
    for (const bad of ['*', 'nginx.local', '10.0.0.0/33', '10.0.0.1/8/1', '300.1.1.1']) {
      expect(() => loadConfig({ SHULAN_TRUSTED_PROXIES: `127.0.0.1,${bad}` })).toThrow(/SHULAN_TRUSTED_PROXIES.*is not an IP address/);
    }
  });

  it('opens the public listener only when SHULAN_PUBLIC_LISTEN is host:port', () => {
    expect(loadConfig({}).publicListen).toBeNull();
    expect(loadConfig({ SHULAN_PUBLIC_LISTEN: '0.0.0.0:8443' }).publicListen).toEqual({ host: '0.0.0.0', port: 8443 });
    expect(loadConfig({ SHULAN_PUBLIC_LISTEN: '[::]:8443' }).publicListen).toEqual({ host: '::', port: 8443 });
    expect(loadConfig({ SHULAN_PUBLIC_LISTEN: 'gate.internal:9000' }).publicListen).toEqual({ host: 'gate.internal', port: 9000 });
    for (const bad of ['8443', '0.0.0.0', '0.0.0.0:', '0.0.0.0:0', '0.0.0.0:70000', '[zz]:1', '::1:8443', 'a b:1']) {
      expect(() => loadConfig({ SHULAN_PUBLIC_LISTEN: bad }), bad).toThrow(/SHULAN_PUBLIC_LISTEN.*is not host:port/);
    }
  });

  it('names every bad variable in one message', () => {
    const run = () => loadConfig({ SHULAN_PORT: 'eighty', SHULAN_DATABASE_URL: 'mysql://x', SHULAN_ADMIN_PASSWORD: 'short' });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (e) {
      const m = (e as Error).message;
      expect(m).toContain('SHULAN_PORT');
      expect(m).toContain('SHULAN_DATABASE_URL');
      expect(m).toContain('SHULAN_ADMIN_PASSWORD');
    }
  });
});
