import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONDITIONS, DAMAGE_REASONS, stopsRefund, summarizeFindings, validateInspection, type InspectionLineInput, type ReturnLineFacts } from './rules';

const lines: ReturnLineFacts[] = [
	{ id: 'a', quantity: 2, reasonCode: 'too_small', inspected: false },
	{ id: 'b', quantity: 1, reasonCode: 'arrived_damaged', inspected: false }
];
const fields = (r: ReturnType<typeof validateInspection>) => (r.ok ? [] : r.issues.map((i) => `${i.field}:${i.code}`));

describe('stopsRefund', () => {
	it('holds the wrong item, an empty box and worn goods whatever the customer said', () => {
		for (const reason of ['changed_mind', 'arrived_damaged', 'wrong_item']) {
			expect(stopsRefund('wrong_item', reason)).toBe(true);
			expect(stopsRefund('missing', reason)).toBe(true);
			expect(stopsRefund('used', reason)).toBe(true);
		}
	});

	it('holds damage unless the customer reported damage or a defect', () => {
		expect(stopsRefund('damaged', 'too_small')).toBe(true);
		expect(stopsRefund('damaged', 'changed_mind')).toBe(true);
		for (const reason of DAMAGE_REASONS) expect(stopsRefund('damaged', reason)).toBe(false);
	});

	it('lets new and opened items through, whatever the reason', () => {
		fc.assert(
			fc.property(fc.constantFrom('new' as const, 'opened' as const), fc.string(), (condition, reason) => !stopsRefund(condition, reason))
		);
	});
});

describe('validateInspection', () => {
	const good: InspectionLineInput[] = [
		{ returnLineId: 'a', condition: 'new', disposition: 'restock' },
		{ returnLineId: 'b', condition: 'damaged', disposition: 'refurbish', note: '  crack on the lid  ' }
	];

	it('accepts every line once, restocking what came back by default', () => {
		const r = validateInspection(good, lines);
		expect(r).toEqual({
			ok: true,
			lines: [
				{ returnLineId: 'a', position: 1, quantity: 2, reasonCode: 'too_small', condition: 'new', disposition: 'restock', note: null, restockQuantity: 2, stopsRefund: false },
				{ returnLineId: 'b', position: 2, quantity: 1, reasonCode: 'arrived_damaged', condition: 'damaged', disposition: 'refurbish', note: 'crack on the lid', restockQuantity: 0, stopsRefund: false }
			]
		});
	});

	it('wants a disposition unless nothing came back, and none when nothing did', () => {
		expect(fields(validateInspection([good[0], { returnLineId: 'b', condition: 'used' }], lines))).toEqual(['lines[1].disposition:disposition_required']);
		expect(fields(validateInspection([good[0], { returnLineId: 'b', condition: 'missing', disposition: 'discard' }], lines))).toEqual([
			'lines[1].disposition:disposition_not_allowed'
		]);
		const missing = validateInspection([good[0], { returnLineId: 'b', condition: 'missing', disposition: '' }], lines);
		expect(missing.ok && missing.lines[1]).toMatchObject({ condition: 'missing', disposition: null, restockQuantity: 0, stopsRefund: true });
	});

	it('refuses unknown conditions and dispositions, naming the field', () => {
		const r = validateInspection([{ returnLineId: 'a', condition: 'mint', disposition: 'resell' }, good[1]], lines);
		expect(fields(r)).toEqual(['lines[0].condition:invalid_condition', 'lines[0].disposition:invalid_disposition']);
		expect(!r.ok && r.issues[0].message).toMatch(/"mint" is not a condition/);
	});

	it('restocks only what came back: this line’s goods, at most the units returned', () => {
		expect(fields(validateInspection([{ returnLineId: 'a', condition: 'wrong_item', disposition: 'restock' }, good[1]], lines))).toEqual([
			'lines[0].disposition:restock_not_allowed'
		]);
		for (const bad of [0, 3, 1.5]) {
			expect(fields(validateInspection([{ ...good[0], restockQuantity: bad }, good[1]], lines))).toEqual(['lines[0].restockQuantity:invalid_restock_quantity']);
		}
		expect(fields(validateInspection([good[0], { ...good[1], restockQuantity: 1 }], lines))).toEqual(['lines[1].restockQuantity:invalid_restock_quantity']);
		const partial = validateInspection([{ ...good[0], restockQuantity: 1 }, good[1]], lines);
		expect(partial.ok && partial.lines[0].restockQuantity).toBe(1);
	});

	it('wants every line of the return exactly once, and none inspected before', () => {
		expect(fields(validateInspection([], lines))).toEqual(['lines:no_lines']);
		expect(fields(validateInspection([good[0]], lines))).toEqual(['lines:missing_line']);
		expect(fields(validateInspection([...good, good[0]], lines))).toEqual(['lines[2].returnLineId:duplicate_line']);
		expect(fields(validateInspection([...good, { returnLineId: 'zz', condition: 'new', disposition: 'restock' }], lines))).toEqual([
			'lines[2].returnLineId:unknown_line'
		]);
		const done = [{ ...lines[0], inspected: true }, lines[1]];
		expect(fields(validateInspection(good, done))).toEqual(['lines[0]:already_inspected']);
		// What is left of a return inspected in part is enough.
		expect(validateInspection([good[1]], done).ok).toBe(true);
	});

	it('limits notes and photos', () => {
		expect(fields(validateInspection([{ ...good[0], note: 'x'.repeat(2001), photoCount: 6 }, good[1]], lines))).toEqual([
			'lines[0].note:note_too_long',
			'lines[0].photos:too_many_photos'
		]);
	});

	it('answers the lines in the return’s order, each condition valid', () => {
		fc.assert(
			fc.property(fc.constantFrom(...CONDITIONS), fc.constantFrom(...CONDITIONS), (ca, cb) => {
				const d = (c: string) => (c === 'missing' ? null : c === 'wrong_item' ? 'discard' : 'restock');
				const r = validateInspection(
					[
						{ returnLineId: 'b', condition: cb, disposition: d(cb) },
						{ returnLineId: 'a', condition: ca, disposition: d(ca) }
					],
					lines
				);
				return r.ok && r.lines.map((l) => l.returnLineId).join() === 'a,b';
			})
		);
	});
});

describe('summarizeFindings', () => {
	it('writes a factual reason for staff naming each line that holds the refund', () => {
		const r = validateInspection(
			[
				{ returnLineId: 'a', condition: 'wrong_item', disposition: 'discard' },
				{ returnLineId: 'b', condition: 'missing' }
			],
			lines
		);
		if (!r.ok) throw new Error('invalid');
		const f = summarizeFindings(r.lines);
		expect(f.stopsRefund).toBe(true);
		expect(f.allWrongItem).toBe(false);
		expect(f.holdReason).toBe('Inspection: line 1 wrong item; line 2 missing from the parcel. A person decides the refund.');
		expect(f.lines).toEqual([
			{ returnLineId: 'a', line: 1, condition: 'wrong_item', disposition: 'discard', stopsRefund: true, restockQuantity: 0 },
			{ returnLineId: 'b', line: 2, condition: 'missing', disposition: null, stopsRefund: true, restockQuantity: 0 }
		]);
	});

	it('has no hold reason when every finding passes, and counts the units to restock', () => {
		const r = validateInspection(
			[
				{ returnLineId: 'a', condition: 'opened', disposition: 'restock' },
				{ returnLineId: 'b', condition: 'damaged', disposition: 'discard' }
			],
			lines
		);
		if (!r.ok) throw new Error('invalid');
		const f = summarizeFindings(r.lines);
		expect(f).toMatchObject({ stopsRefund: false, holdReason: null, restockQuantity: 2 });
		expect(f.summary).toBe('Inspection: line 1 opened; line 2 damaged, as the customer reported.');
	});

	it('tells when every line came back as another item', () => {
		const f = summarizeFindings([
			{ returnLineId: 'a', position: 1, quantity: 1, reasonCode: 'x', condition: 'wrong_item', disposition: 'discard', note: null, restockQuantity: 0, stopsRefund: true }
		]);
		expect(f.allWrongItem).toBe(true);
	});
});
