import { describe, expect, it } from 'vitest';
import { DEFAULT_EVAL_SEED, evaluateSeed, TUNING_SEEDS } from './evaluate';

describe('the risk evaluation on a history the scorer was not tuned on', () => {
	it('flags at least 80 % of abusive returns and sends at most 2 % of honest ones to review', () => {
		expect(TUNING_SEEDS).not.toContain(DEFAULT_EVAL_SEED);
		const r = evaluateSeed(DEFAULT_EVAL_SEED);
		expect(r.abusive).toBeGreaterThan(1000);
		expect(r.recall).toBeGreaterThanOrEqual(0.8);
		expect(r.honestReview).toBeLessThanOrEqual(0.02);
		// Honest heavy returners and bracketers are not the ones paying for it.
		for (const p of ['honest_heavy', 'honest_bracketer'] as const) expect(r.byPersona[p].review / r.byPersona[p].returns).toBeLessThan(0.01);
	}, 30_000);
});
