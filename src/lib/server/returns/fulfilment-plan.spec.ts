import { describe, expect, it } from 'vitest';
import { latestTiming, planFulfilment, type FulfilmentState } from './fulfilment-plan';

const base: FulfilmentState = { trigger: 'accepted', refundTiming: 'at_drop_off', method: 'label', resolution: 'refund', total: 4990, accepted: true };
const plan = (s: Partial<FulfilmentState>) => planFulfilment({ ...base, ...s });

describe('planFulfilment', () => {
	it('makes the label on acceptance; the acceptance email waits for it', () => {
		expect(plan({})).toEqual({ label: true, pay: null, exchange: false, notify: null });
		expect(plan({ method: 'drop_off' })).toMatchObject({ label: true, notify: null });
	});

	it('pays when the policy says: on approval, at the first scan, or when the parcel arrives', () => {
		const when = (refundTiming: FulfilmentState['refundTiming']) =>
			(['accepted', 'in_transit', 'received', 'inspected'] as const).filter((trigger) => plan({ trigger, refundTiming }).pay === 'refund');
		expect(when('at_approval')).toEqual(['accepted', 'in_transit', 'received', 'inspected']);
		expect(when('at_drop_off')).toEqual(['in_transit', 'received', 'inspected']);
		// Held for inspection: the parcel's arrival is not enough, the warehouse's finding is.
		expect(when('after_inspection')).toEqual(['inspected']);
		expect(when(null)).toEqual(['in_transit', 'received', 'inspected']); // a parcel is expected: not before it ships
	});

	it('pays when staff accept a return whose inspection already passed (it was held for a person)', () => {
		expect(plan({ trigger: 'accepted', refundTiming: 'after_inspection', inspected: true }).pay).toBe('refund');
		expect(plan({ trigger: 'accepted', refundTiming: 'after_inspection', inspected: false }).pay).toBeNull();
	});

	it('pays a kept item on acceptance, and tells the customer at once (no label to wait for)', () => {
		expect(plan({ method: 'keep', refundTiming: 'after_inspection' })).toEqual({ label: false, pay: 'refund', exchange: false, notify: 'return_accepted' });
	});

	it('pays nothing before acceptance, nothing for a zero total, and starts an exchange instead of paying', () => {
		expect(plan({ trigger: 'received', accepted: false })).toMatchObject({ pay: null, notify: 'parcel_received' });
		expect(plan({ trigger: 'in_transit', total: 0 }).pay).toBeNull();
		// An exchange ships when a refund would be paid: at the parcel's first scan by default, on approval if so set.
		expect(plan({ resolution: 'exchange_variant' })).toMatchObject({ pay: null, exchange: false });
		expect(plan({ trigger: 'in_transit', resolution: 'exchange_variant' })).toMatchObject({ pay: null, exchange: true });
		expect(plan({ resolution: 'exchange_variant', refundTiming: 'at_approval' })).toMatchObject({ pay: null, exchange: true });
		expect(plan({ trigger: 'in_transit', resolution: 'store_credit' }).pay).toBe('store_credit');
		expect(plan({ resolution: 'fix', trigger: 'received' }).pay).toBeNull();
	});
});

describe('planFulfilment, other changes', () => {
	it('voids the label of a cancelled or rejected return, and tells the customer when staff ask for more', () => {
		expect(plan({ trigger: 'cancelled' })).toEqual({ label: false, pay: null, exchange: false, notify: null, voidLabel: true });
		expect(plan({ trigger: 'info_requested', accepted: false })).toMatchObject({ notify: 'info_requested', pay: null, label: false });
	});
});

describe('latestTiming', () => {
	it('is the last of the lines’ timings', () => {
		expect(latestTiming(['at_approval', 'after_inspection', 'at_drop_off'])).toBe('after_inspection');
		expect(latestTiming(['at_approval'])).toBe('at_approval');
		expect(latestTiming([])).toBeNull();
	});
});
