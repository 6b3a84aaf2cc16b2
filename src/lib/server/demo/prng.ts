/**
 * A small seeded random generator (mulberry32) so the demo shop is the same on every machine: same
 * customers, orders and returns, only shifted to today's date.
 */
export interface Random {
	/** A float in [0, 1). */
	next(): number;
	/** An integer in [min, max], both included. */
	int(min: number, max: number): number;
	chance(p: number): boolean;
	pick<T>(items: readonly T[]): T;
	/** One of the items, each as likely as its weight. */
	weighted<T>(items: readonly (readonly [T, number])[]): T;
	shuffle<T>(items: readonly T[]): T[];
	/** Lowercase letters and digits, e.g. for payment ids. */
	alphanumeric(length: number): string;
}

export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function createRandom(seed: number): Random {
	const next = mulberry32(seed);
	const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
	return {
		next,
		int,
		chance: (p) => next() < p,
		pick: (items) => {
			if (items.length === 0) throw new Error('Cannot pick from an empty list');
			return items[Math.floor(next() * items.length)];
		},
		weighted: (items) => {
			const total = items.reduce((sum, [, w]) => sum + w, 0);
			let r = next() * total;
			for (const [item, w] of items) {
				r -= w;
				if (r < 0) return item;
			}
			return items[items.length - 1][0];
		},
		shuffle: (items) => {
			const out = [...items];
			for (let i = out.length - 1; i > 0; i--) {
				const j = Math.floor(next() * (i + 1));
				[out[i], out[j]] = [out[j], out[i]];
			}
			return out;
		},
		alphanumeric: (length) => Array.from({ length }, () => ALPHANUMERIC[Math.floor(next() * ALPHANUMERIC.length)]).join('')
	};
}
