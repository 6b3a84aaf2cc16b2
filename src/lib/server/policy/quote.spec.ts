import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeQuote, lineShare, mulDivHalfUp, QuoteError } from './quote';

const line = (over: Partial<Parameters<typeof computeQuote>[0]['lines'][number]> = {}) => ({
	orderLineId: 'l1',
	quantity: 1,
	orderedQuantity: 1,
	alreadyReturned: 0,
	paidAmount: 8900,
	...over
});

describe('computeQuote', () => {
	it('refunds what was paid for the units, minus fees, plus bonus', () => {
		const q = computeQuote({
			currency: 'EUR',
			lines: [line({ quantity: 2, orderedQuantity: 3, paidAmount: 10_000 }), line({ orderLineId: 'l2', paidAmount: 1990 })],
			fees: [
				{ code: 'restocking', kind: 'percent', basisPoints: 1000 },
				{ code: 'return_shipping', kind: 'fixed', amount: 495 }
			],
			bonus: 500
		});
		expect(q.lines).toEqual([
			{ orderLineId: 'l1', quantity: 2, amount: 6667 },
			{ orderLineId: 'l2', quantity: 1, amount: 1990 }
		]);
		expect(q.fees).toEqual([
			{ code: 'restocking', amount: 866 },
			{ code: 'return_shipping', amount: 495 }
		]);
		expect(q.total).toBe(6667 + 1990 - 866 - 495 + 500);
	});

	it('refunds the outbound delivery when asked (EU withdrawal)', () => {
		expect(computeQuote({ currency: 'EUR', lines: [line()], shippingRefund: 495 }).total).toBe(9395);
	});

	it('never lets fees exceed the goods', () => {
		const q = computeQuote({ currency: 'EUR', lines: [line({ paidAmount: 300 })], fees: [{ code: 'return_shipping', kind: 'fixed', amount: 495 }] });
		expect(q.fees).toEqual([{ code: 'return_shipping', amount: 300 }]);
		expect(q.total).toBe(0);
	});

	it('refuses impossible input, naming the field', () => {
		const bad: [Parameters<typeof computeQuote>[0], string, string][] = [
			[{ currency: 'EUR', lines: [line({ quantity: 0 })] }, 'invalid_quantity', 'lines[0].quantity'],
			[{ currency: 'EUR', lines: [line({ quantity: 2 })] }, 'quantity_exceeded', 'lines[0].quantity'],
			[{ currency: 'EUR', lines: [line({ alreadyReturned: 1 })] }, 'quantity_exceeded', 'lines[0].quantity'],
			[{ currency: 'EUR', lines: [line({ paidAmount: 10.5 })] }, 'invalid_amount', 'lines[0].paidAmount'],
			[{ currency: 'EUR', lines: [line()], fees: [{ code: 'x', kind: 'percent', basisPoints: 20_000 }] }, 'invalid_fee', 'fees[0].basisPoints'],
			[{ currency: 'EUR', lines: [line()], bonus: -1 }, 'invalid_amount', 'bonus']
		];
		for (const [input, code, field] of bad) {
			const error = (() => {
				try {
					computeQuote(input);
				} catch (e) {
					return e;
				}
			})();
			expect(error).toBeInstanceOf(QuoteError);
			expect(error).toMatchObject({ code, field });
		}
	});

	it('rounds half-up exactly, without floats', () => {
		expect(mulDivHalfUp(5, 1, 2)).toBe(3);
		expect(mulDivHalfUp(4, 1, 2)).toBe(2);
		expect(mulDivHalfUp(999_999_999_999, 3, 7)).toBe(428_571_428_571);
	});
});

describe('quote properties', () => {
	const lineArb = fc
		.record({ ordered: fc.integer({ min: 1, max: 50 }), paid: fc.integer({ min: 0, max: 1_000_000_000 }) })
		.chain(({ ordered, paid }) =>
			fc.record({
				ordered: fc.constant(ordered),
				paid: fc.constant(paid),
				splits: fc.array(fc.integer({ min: 1, max: ordered }), { minLength: 1, maxLength: ordered })
			})
		);

	it('returning a line in any number of returns adds up to exactly what was paid for it, never more', () => {
		fc.assert(
			fc.property(lineArb, ({ ordered, paid, splits }) => {
				let returned = 0;
				let refunded = 0;
				for (const s of splits) {
					const q = Math.min(s, ordered - returned);
					if (q === 0) break;
					refunded += lineShare(paid, ordered, returned, q);
					returned += q;
					expect(refunded).toBeLessThanOrEqual(paid);
				}
				if (returned === ordered) expect(refunded).toBe(paid);
			})
		);
	});

	it('with returns cancelled in between, the line still adds up to exactly what was paid, never more', () => {
		const stepArb = fc.array(fc.record({ q: fc.integer({ min: 1, max: 50 }), cancel: fc.nat() }), { minLength: 1, maxLength: 60 });
		fc.assert(
			fc.property(lineArb, stepArb, ({ ordered, paid }, steps) => {
				const held: { units: number; amount: number }[] = [];
				for (const step of steps) {
					const units = held.reduce((s, h) => s + h.units, 0);
					const q = Math.min(step.q, ordered - units);
					if (q > 0) {
						const quoted = held.reduce((s, h) => s + h.amount, 0);
						const [line] = computeQuote({
							currency: 'EUR',
							lines: [{ orderLineId: 'l', quantity: q, orderedQuantity: ordered, alreadyReturned: units, paidAmount: paid, alreadyQuoted: quoted }]
						}).lines;
						held.push({ units: q, amount: line.amount });
					}
					expect(held.reduce((s, h) => s + h.amount, 0)).toBeLessThanOrEqual(paid);
					// Now and then a return is cancelled and gives its units back.
					if (step.cancel % 3 === 0 && held.length) held.splice(step.cancel % held.length, 1);
				}
				// Whatever happened before, returning what is left completes the line to the cent.
				const units = held.reduce((s, h) => s + h.units, 0);
				if (units < ordered) {
					const quoted = held.reduce((s, h) => s + h.amount, 0);
					const [line] = computeQuote({
						currency: 'EUR',
						lines: [{ orderLineId: 'l', quantity: ordered - units, orderedQuantity: ordered, alreadyReturned: units, paidAmount: paid, alreadyQuoted: quoted }]
					}).lines;
					held.push({ units: ordered - units, amount: line.amount });
				}
				expect(held.reduce((s, h) => s + h.amount, 0)).toBe(paid);
			})
		);
	});

	it('total = lines − fees + bonus + shipping, to the cent, and never more than was paid plus bonus and shipping', () => {
		const quoteArb = fc.record({
			lines: fc.array(
				fc.record({ ordered: fc.integer({ min: 1, max: 20 }), paid: fc.integer({ min: 0, max: 10_000_000 }), q: fc.integer({ min: 1, max: 20 }) }),
				{ minLength: 1, maxLength: 8 }
			),
			fees: fc.array(
				fc.oneof(
					fc.record({ code: fc.constant('fixed'), kind: fc.constant('fixed' as const), amount: fc.integer({ min: 0, max: 100_000 }) }),
					fc.record({ code: fc.constant('percent'), kind: fc.constant('percent' as const), basisPoints: fc.integer({ min: 0, max: 10_000 }) })
				),
				{ maxLength: 3 }
			),
			bonus: fc.integer({ min: 0, max: 100_000 }),
			shipping: fc.integer({ min: 0, max: 10_000 })
		});
		fc.assert(
			fc.property(quoteArb, ({ lines, fees, bonus, shipping }) => {
				const q = computeQuote({
					currency: 'EUR',
					lines: lines.map((l, i) => line({ orderLineId: `l${i}`, orderedQuantity: l.ordered, quantity: Math.min(l.q, l.ordered), paidAmount: l.paid })),
					fees,
					bonus,
					shippingRefund: shipping
				});
				const goods = q.lines.reduce((s, l) => s + l.amount, 0);
				const feeTotal = q.fees.reduce((s, f) => s + f.amount, 0);
				expect(q.total).toBe(goods - feeTotal + q.bonus + q.shipping);
				expect(goods).toBeLessThanOrEqual(lines.reduce((s, l) => s + l.paid, 0));
				expect(feeTotal).toBeLessThanOrEqual(goods);
				expect(q.total).toBeGreaterThanOrEqual(bonus + shipping);
				for (const x of [...q.lines.map((l) => l.amount), ...q.fees.map((f) => f.amount), q.total]) expect(Number.isSafeInteger(x)).toBe(true);
			})
		);
	});
});
