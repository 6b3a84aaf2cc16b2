import { describe, expect, it } from 'vitest';
import { DECISION_STATUSES } from '../returns/lifecycle';
import { claimedQuantities, customerReturnStatus, deliveryStatus, lineReturnability } from './returnable';

describe('claimedQuantities', () => {
	it('sums the units of returns that still count, per order line', () => {
		const claimed = claimedQuantities([
			{ orderLineId: 'a', quantity: 1, decisionStatus: 'accepted' },
			{ orderLineId: 'a', quantity: 2, decisionStatus: 'pending' },
			{ orderLineId: 'b', quantity: 1, decisionStatus: 'needs_review' }
		]);
		expect(claimed.get('a')).toBe(3);
		expect(claimed.get('b')).toBe(1);
		expect(claimed.has('c')).toBe(false);
	});

	it('releases the units of cancelled and rejected returns, and only those', () => {
		for (const status of DECISION_STATUSES) {
			const claimed = claimedQuantities([{ orderLineId: 'a', quantity: 2, decisionStatus: status }]);
			const expected = status === 'cancelled' || status === 'rejected' ? undefined : 2;
			expect(claimed.get('a'), status).toBe(expected);
		}
	});
});

describe('lineReturnability', () => {
	const line = { quantity: 3, finalSale: false };

	it('offers ordered minus claimed units of a delivered line', () => {
		expect(lineReturnability(line, true, 0)).toEqual({ claimed: 0, returnable: 3, reason: null });
		expect(lineReturnability(line, true, 2)).toEqual({ claimed: 2, returnable: 1, reason: null });
	});

	it('says a fully claimed line is already returned', () => {
		expect(lineReturnability(line, true, 3)).toEqual({ claimed: 3, returnable: 0, reason: 'already_returned' });
		// more claimed than ordered (a data import gone wrong) never goes negative
		expect(lineReturnability(line, true, 5)).toEqual({ claimed: 3, returnable: 0, reason: 'already_returned' });
	});

	it('refuses a line not yet delivered', () => {
		expect(lineReturnability(line, false, 0)).toEqual({ claimed: 0, returnable: 0, reason: 'not_delivered' });
	});

	it('refuses a final sale line, delivered or not', () => {
		expect(lineReturnability({ quantity: 1, finalSale: true }, true, 0).reason).toBe('final_sale');
		expect(lineReturnability({ quantity: 1, finalSale: true }, false, 0).reason).toBe('final_sale');
		expect(lineReturnability({ quantity: 1, finalSale: true }, true, 0).returnable).toBe(0);
	});
});

describe('deliveryStatus', () => {
	const t = new Date('2026-03-01T10:00:00Z');
	it('reads delivered, shipped or still being prepared', () => {
		expect(deliveryStatus({ fulfilledAt: t, deliveredAt: t })).toBe('delivered');
		expect(deliveryStatus({ fulfilledAt: t, deliveredAt: null })).toBe('shipped');
		expect(deliveryStatus({ fulfilledAt: null, deliveredAt: null })).toBe('processing');
	});
});

describe('customerReturnStatus', () => {
	it('maps every decision to the words a customer needs', () => {
		const closed = new Date();
		expect(customerReturnStatus('pending', null)).toBe('requested');
		expect(customerReturnStatus('needs_review', null)).toBe('in_review');
		expect(customerReturnStatus('info_requested', null)).toBe('in_review');
		expect(customerReturnStatus('on_hold', null)).toBe('in_review');
		expect(customerReturnStatus('accepted', null)).toBe('accepted');
		expect(customerReturnStatus('accepted', closed)).toBe('completed');
		expect(customerReturnStatus('rejected', closed)).toBe('rejected');
		expect(customerReturnStatus('cancelled', closed)).toBe('cancelled');
	});
});
