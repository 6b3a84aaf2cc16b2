import { describe, expect, it } from 'vitest';
import { EMPTY_HISTORY, EMPTY_LINKED, type RiskFacts } from '$lib/server/risk/facts';
import { SIGNAL_CODES, scoreReturn, type Signal } from '$lib/server/risk/score';
import { DESCRIBED_CODES, riskLevelText, signalSentence, signalText } from './signal-text';

/** Facts that raise every signal the scorer has, so each code is rendered with the params it really gets. */
function loudFacts(): RiskFacts[] {
	const line = (over: Partial<RiskFacts['lines'][number]> = {}) => ({
		unitPrice: 50_000,
		quantity: 1,
		category: 'clothing/dresses',
		occasion: true,
		reason: 'defective',
		siblings: 3,
		siblingsReturned: 3,
		...over
	});
	const history = {
		...EMPTY_HISTORY,
		orders: 1,
		accountAgeDays: 10,
		orderedUnits: 10,
		returnedUnits: 9,
		returns: 5,
		returnsLast30Days: 5,
		lateReturns: 3,
		lateOccasionReturns: 1,
		occasionReturns: 2,
		inspectedUnits: 6,
		usedUnits: 2,
		mismatchUnits: 2,
		bracketGroups: 3,
		bracketGroupsAllReturned: 2,
		notReceivedClaims: 2
	};
	const linked = { ...EMPTY_LINKED, accounts: 3, returns: 4, usedUnits: 2, mismatchUnits: 2, notReceivedClaims: 2 };
	return [
		{ daysSinceDelivery: 28, windowDays: 30, highValue: 20_000, lines: [line()], history, linked },
		// Late without an occasion item: the plain late signal.
		{ daysSinceDelivery: 28, windowDays: 30, highValue: 20_000, lines: [line({ occasion: false })], history, linked }
	];
}

describe('risk signals in words', () => {
	it('have a sentence for every code the scorer emits', () => {
		expect([...DESCRIBED_CODES].sort()).toEqual([...SIGNAL_CODES].sort());
		const seen = new Set(loudFacts().flatMap((f) => scoreReturn(f).signals.map((s) => s.code)));
		expect([...seen].sort()).toEqual([...SIGNAL_CODES].sort());
	});

	it('say what was seen with its numbers and its points, as in the example', () => {
		const signal: Signal = { code: 'past_mismatch', points: 60, params: { units: 2, inspected: 3 } };
		expect(signalText(signal, { locale: 'en', currency: 'EUR' })).toBe(
			'2 earlier items came back as the wrong item or an empty box (of 3 inspected) — +60'
		);
		expect(signalText({ ...signal, params: { units: 1, inspected: 4 }, points: 45 }, { locale: 'en', currency: 'EUR' })).toBe(
			'1 earlier item came back as the wrong item or an empty box (of 4 inspected) — +45'
		);
		expect(signalSentence(signal, { locale: 'fr', currency: 'EUR' })).toBe(
			'2 articles renvoyés auparavant étaient d’autres articles ou des colis vides (articles contrôlés\u00a0: 3)'
		);
	});

	it('write amounts in the return’s currency and the reader’s locale', () => {
		const signal: Signal = { code: 'high_value', points: 8, params: { value: 65_000, threshold: 20_000 } };
		expect(signalSentence(signal, { locale: 'en', currency: 'EUR' })).toBe('High-value return: €650.00 (the shop’s high-value mark is €200.00)');
		expect(signalSentence(signal, { locale: 'fr', currency: 'EUR' })).toContain('650,00\u00a0€');
	});

	it('render every real signal in both languages, with no placeholder left and no judgement of the person', () => {
		for (const facts of loudFacts()) {
			for (const signal of scoreReturn(facts).signals) {
				const en = signalText(signal, { locale: 'en', currency: 'EUR' });
				const fr = signalText(signal, { locale: 'fr', currency: 'EUR' });
				for (const text of [en, fr]) {
					expect(text, signal.code).not.toMatch(/undefined|NaN|\{|\}/);
					expect(text, signal.code).toMatch(new RegExp(` — \\+${signal.points}$`));
					expect(text, signal.code).not.toMatch(/fraud|abus|cheat|liar|dishonest|suspicious|escro|menteur|malhonn|suspect/i);
				}
				expect(fr, signal.code).not.toBe(en);
			}
		}
	});

	it('read a parameter missing from an older assessment as 0, and an unknown code by its name', () => {
		expect(signalSentence({ code: 'return_velocity', params: {} }, { locale: 'en', currency: 'EUR' })).toBe('0 returns in the 30 days before this one');
		expect(signalSentence({ code: 'something_new' as Signal['code'], params: {} }, { locale: 'en', currency: 'EUR' })).toBe('Signal “something_new”');
		expect(riskLevelText('elevated', { locale: 'fr' })).toBe('Élevé');
	});
});
