import { describe, expect, it } from 'vitest';
import { createRandom, mulberry32 } from './prng';

describe('mulberry32', () => {
	it('gives the same sequence for the same seed, another for another seed', () => {
		const a = mulberry32(42);
		const b = mulberry32(42);
		const c = mulberry32(43);
		const seqA = Array.from({ length: 20 }, a);
		expect(Array.from({ length: 20 }, b)).toEqual(seqA);
		expect(Array.from({ length: 20 }, c)).not.toEqual(seqA);
	});

	it('matches the reference mulberry32 (pinned: a change would change every demo shop)', () => {
		const r = mulberry32(1);
		expect([r(), r(), r()].map((x) => x.toFixed(10))).toEqual(['0.6270739406', '0.0027357212', '0.5274470400']);
	});

	it('stays in [0, 1) and spreads evenly', () => {
		const r = mulberry32(7);
		const buckets = new Array(10).fill(0);
		let outside = 0;
		for (let i = 0; i < 100_000; i++) {
			const x = r();
			if (x < 0 || x >= 1) outside++;
			else buckets[Math.floor(x * 10)]++;
		}
		expect(outside).toBe(0);
		for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
	});
});

describe('createRandom', () => {
	it('draws integers within both bounds', () => {
		const r = createRandom(3);
		const seen = new Set<number>();
		for (let i = 0; i < 1000; i++) seen.add(r.int(2, 5));
		expect([...seen].sort()).toEqual([2, 3, 4, 5]);
	});

	it('follows the weights', () => {
		const r = createRandom(5);
		let heavy = 0;
		for (let i = 0; i < 10_000; i++) if (r.weighted([['a', 9], ['b', 1]] as const) === 'a') heavy++;
		expect(heavy).toBeGreaterThan(8700);
		expect(heavy).toBeLessThan(9300);
	});

	it('shuffles without losing or adding items, deterministically', () => {
		const items = [1, 2, 3, 4, 5, 6, 7, 8];
		const once = createRandom(9).shuffle(items);
		expect([...once].sort()).toEqual(items);
		expect(createRandom(9).shuffle(items)).toEqual(once);
		expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
	});

	it('refuses to pick from nothing', () => {
		expect(() => createRandom(1).pick([])).toThrow(/empty/);
	});

	it('makes alphanumeric ids of the asked length', () => {
		expect(createRandom(1).alphanumeric(24)).toMatch(/^[A-Za-z0-9]{24}$/);
		expect(createRandom(1).alphanumeric(24)).toBe(createRandom(1).alphanumeric(24));
	});
});
