import { describe, expect, it } from 'vitest';
import { generateSessionToken } from './session';
import { generateToken, hashToken, isTokenShaped } from './token';

describe('tokens', () => {
	it('are 20 random bytes as 32 lowercase base32 characters without padding', () => {
		const token = generateSessionToken();
		expect(token).toMatch(/^[a-z2-7]{32}$/);
		expect(isTokenShaped(token)).toBe(true);
		expect(new Set(Array.from({ length: 200 }, generateToken)).size).toBe(200);
	});

	it('are stored as their SHA-256 in lowercase hex', () => {
		// sha256("abc"), the FIPS 180-2 test vector.
		expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(hashToken(generateToken())).toMatch(/^[0-9a-f]{64}$/);
	});

	it('refuses anything not shaped like a token before any lookup', () => {
		for (const bad of ['', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 'a'.repeat(31), 'a'.repeat(33), 'a'.repeat(31) + '1', null, undefined]) {
			expect(isTokenShaped(bad)).toBe(false);
		}
	});
});
