import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicOrigin, readConfig } from './config';

describe('readConfig', () => {
	it('runs on the embedded database with defaults and the demo shop', () => {
		const c = readConfig({});
		expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, dataDir: path.resolve('.data'), seedDemo: true, smtpUrl: undefined });
		expect(publicOrigin(c)).toBe('http://localhost:3000');
	});

	it('requires a shared RETURN_LINK_SECRET with DATABASE_URL, and no demo by default there', () => {
		expect(() => readConfig({ DATABASE_URL: 'postgres://x@db/retour' })).toThrow(/RETURN_LINK_SECRET is required/);
		expect(() => readConfig({ DATABASE_URL: 'postgres://x@db/retour', RETURN_LINK_SECRET: 'short' })).toThrow(/at least 32/);
		const c = readConfig({ DATABASE_URL: 'postgres://x@db/retour', RETURN_LINK_SECRET: 's'.repeat(32) });
		expect(c.seedDemo).toBe(false);
		expect(readConfig({ DATABASE_URL: 'postgres://x@db/retour', RETURN_LINK_SECRET: 's'.repeat(32), SEED_DEMO: 'true' }).seedDemo).toBe(true);
	});

	it('refuses a port that is not one, and trims the public origin', () => {
		expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT must be an integer/);
		expect(publicOrigin(readConfig({ ORIGIN: 'https://returns.example.com/' }))).toBe('https://returns.example.com');
	});
});
