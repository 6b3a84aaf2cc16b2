import { describe, expect, it } from 'vitest';
import { EMPTY_HISTORY, EMPTY_LINKED, type RiskFacts, type RiskLine } from './facts';
import { levelOf, RISK_THRESHOLDS, scoreReturn } from './score';

const line = (over: Partial<RiskLine> = {}): RiskLine => ({
	unitPrice: 4_900,
	quantity: 1,
	category: 'clothing/tops',
	occasion: false,
	reason: 'too_small',
	siblings: 1,
	siblingsReturned: 1,
	...over
});

const facts = (over: Partial<RiskFacts> = {}): RiskFacts => ({
	daysSinceDelivery: 5,
	windowDays: 30,
	highValue: 30_000,
	lines: [line()],
	history: { ...EMPTY_HISTORY, accountAgeDays: 200, orders: 4, orderedUnits: 8, returns: 1, returnedUnits: 1, inspectedUnits: 1 },
	linked: { ...EMPTY_LINKED },
	...over
});

const codes = (f: RiskFacts) => scoreReturn(f).signals.map((s) => s.code);

describe('the risk score', () => {
	it('is low with no signal for an ordinary return, and says so', () => {
		const a = scoreReturn(facts());
		expect(a).toEqual({ score: 0, level: 'low', signals: [] });
	});

	it('does not punish a heavy returner or an honest bracketer for returning a lot', () => {
		const heavy = facts({ history: { ...EMPTY_HISTORY, accountAgeDays: 400, orders: 14, orderedUnits: 30, returns: 12, returnedUnits: 20, inspectedUnits: 18, returnsLast30Days: 2 } });
		expect(scoreReturn(heavy).score).toBeLessThan(RISK_THRESHOLDS.hold);
		const bracketer = facts({
			lines: [line({ siblings: 3, siblingsReturned: 2 }), line({ siblings: 3, siblingsReturned: 2 })],
			history: { ...EMPTY_HISTORY, accountAgeDays: 300, orders: 6, orderedUnits: 15, returns: 5, returnedUnits: 9, inspectedUnits: 9, bracketGroups: 5, bracketGroupsAllReturned: 0 }
		});
		expect(scoreReturn(bracketer).score).toBeLessThan(RISK_THRESHOLDS.hold);
	});

	it('sends a customer whose past boxes came back empty to a person, and says which signal weighed', () => {
		const a = scoreReturn(facts({ history: { ...facts().history, inspectedUnits: 3, mismatchUnits: 2 }, linked: { ...EMPTY_LINKED, accounts: 1, mismatchUnits: 1 } }));
		expect(a.level).toBe('high');
		expect(a.signals[0]).toMatchObject({ code: 'past_mismatch', points: 70, params: { units: 2, inspected: 3 } });
		expect(a.signals.map((s) => s.code)).toContain('linked_mismatch');
		expect(a.score).toBe(Math.min(100, a.signals.reduce((s, x) => s + x.points, 0)));
	});

	it('weighs one mix-up among many clean returns less than one in few', () => {
		const few = scoreReturn(facts({ history: { ...facts().history, inspectedUnits: 2, mismatchUnits: 1 } })).score;
		const many = scoreReturn(facts({ history: { ...facts().history, inspectedUnits: 20, mismatchUnits: 1 } })).score;
		expect(many).toBeLessThan(few);
		expect(many).toBeLessThan(RISK_THRESHOLDS.hold);
	});

	it('holds the refund of occasion wear sent back in the window’s last days, not earlier', () => {
		const dress = [line({ occasion: true, unitPrice: 25_000, category: 'clothing/occasion', reason: 'changed_mind' })];
		expect(scoreReturn(facts({ lines: dress, daysSinceDelivery: 27 })).level).not.toBe('low');
		expect(codes(facts({ lines: dress, daysSinceDelivery: 27 }))).toContain('occasion_late');
		expect(scoreReturn(facts({ lines: dress, daysSinceDelivery: 6 })).level).toBe('low');
	});

	it('flags a bracket sent back whole in three or more sizes', () => {
		const three = Array.from({ length: 3 }, () => line({ siblings: 3, siblingsReturned: 3 }));
		expect(codes(facts({ lines: three }))).toEqual(expect.arrayContaining(['bracket_returned_whole', 'large_bracket']));
		expect(scoreReturn(facts({ lines: three })).score).toBeGreaterThanOrEqual(RISK_THRESHOLDS.hold);
	});

	it('holds a new account’s fault claim on a dear item for inspection', () => {
		const a = scoreReturn(
			facts({ lines: [line({ unitPrice: 45_000, category: 'electronics/consoles', reason: 'defective' })], history: { ...EMPTY_HISTORY, orders: 1, orderedUnits: 1 } })
		);
		expect(a.level).toBe('elevated');
		expect(a.signals.map((s) => s.code)).toEqual(expect.arrayContaining(['new_account_fault_claim', 'new_account_high_value', 'high_value']));
	});

	it('never goes above 100, and its level follows the thresholds', () => {
		const worst = facts({
			history: { ...facts().history, inspectedUnits: 4, mismatchUnits: 4, usedUnits: 3, notReceivedClaims: 3 },
			linked: { accounts: 4, returns: 9, usedUnits: 3, mismatchUnits: 5, notReceivedClaims: 4 }
		});
		expect(scoreReturn(worst).score).toBe(100);
		expect(levelOf(RISK_THRESHOLDS.hold - 1)).toBe('low');
		expect(levelOf(RISK_THRESHOLDS.hold)).toBe('elevated');
		expect(levelOf(RISK_THRESHOLDS.review)).toBe('high');
	});

	it('reads no name, gender or age: its facts have no such field', () => {
		const keys = JSON.stringify(facts()).toLowerCase();
		for (const word of ['name', 'gender', 'sex', 'age"', 'birth', 'title']) expect(keys).not.toContain(word);
	});
});
