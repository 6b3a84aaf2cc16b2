import { describe, expect, it } from 'vitest';
import { isReturnLinkValid, returnLinkExpiry, signReturnToken, verifyReturnToken } from './return-links';

const secret = 'a'.repeat(64);
const orderId = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';

describe('return link tokens', () => {
	it('round-trips the order id', () => {
		const token = signReturnToken(secret, orderId);
		expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(verifyReturnToken(secret, token)).toBe(orderId);
	});

	it('refuses a token signed with another secret', () => {
		expect(verifyReturnToken('b'.repeat(64), signReturnToken(secret, orderId))).toBeNull();
	});

	it('refuses any single changed character', () => {
		const token = signReturnToken(secret, orderId);
		for (let i = 0; i < token.length; i++) {
			const c = token[i] === 'A' ? 'B' : 'A';
			const tampered = token.slice(0, i) + c + token.slice(i + 1);
			if (tampered === token) continue;
			expect(verifyReturnToken(secret, tampered)).toBeNull();
		}
	});

	it('refuses garbage, truncation and extension', () => {
		const token = signReturnToken(secret, orderId);
		for (const bad of ['', 'abc', token.slice(0, -2), token + 'AA', '../../etc', token.replace(/./, '*')]) {
			expect(verifyReturnToken(secret, bad)).toBeNull();
		}
	});
});

describe('return link expiry', () => {
	const day = 86_400_000;
	const delivered = new Date('2026-01-10T10:00:00Z');
	const order = { orderedAt: new Date('2026-01-05T10:00:00Z'), deliveredAt: delivered };

	it('lasts a year after delivery without returns', () => {
		const expiry = returnLinkExpiry(order, [])!;
		expect(expiry.getTime()).toBe(delivered.getTime() + 365 * day);
		expect(isReturnLinkValid(expiry, new Date(delivered.getTime() + 364 * day))).toBe(true);
		expect(isReturnLinkValid(expiry, new Date(delivered.getTime() + 366 * day))).toBe(false);
	});

	it('never expires while a return is open', () => {
		expect(returnLinkExpiry(order, [{ closedAt: null }, { closedAt: delivered }])).toBeNull();
		expect(isReturnLinkValid(null, new Date('2099-01-01'))).toBe(true);
	});

	it('lasts 90 days after the last return closes', () => {
		const closed = new Date(delivered.getTime() + 400 * day);
		const expiry = returnLinkExpiry(order, [{ closedAt: new Date(delivered.getTime() + 20 * day) }, { closedAt: closed }])!;
		expect(expiry.getTime()).toBe(closed.getTime() + 90 * day);
	});
});
