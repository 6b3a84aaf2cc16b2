import { describe, expect, it } from 'vitest';
import { generateRma, normalizeRma } from './rma';

describe('RMA numbers', () => {
	it('look like R-XXXX-XXXX in Crockford base32 and match the schema check', () => {
		for (let i = 0; i < 200; i++) {
			const rma = generateRma();
			expect(rma).toMatch(/^R-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
		}
	});

	it('encode the random bytes deterministically', () => {
		expect(generateRma(() => new Uint8Array([0, 0, 0, 0, 0]))).toBe('R-0000-0000');
		expect(generateRma(() => new Uint8Array([255, 255, 255, 255, 255]))).toBe('R-ZZZZ-ZZZZ');
	});

	it('normalise what people type or scan', () => {
		expect(normalizeRma('r-7kx4-m2q9')).toBe('R-7KX4-M2Q9');
		expect(normalizeRma(' R 7KX4 M2Q9 ')).toBe('R-7KX4-M2Q9');
		expect(normalizeRma('R-7KX4-M2QO')).toBe('R-7KX4-M2Q0');
		expect(normalizeRma('7KX4M2Q9')).toBe('R-7KX4-M2Q9');
		expect(normalizeRma('RKX4-M2Q9')).toBe('R-RKX4-M2Q9');
		expect(normalizeRma('R-RKX4-M2Q9')).toBe('R-RKX4-M2Q9');
		expect(normalizeRma('R-7KX4-M2Q')).toBeNull();
		expect(normalizeRma('R-7KX4-M2QU')).toBeNull();
	});
});
