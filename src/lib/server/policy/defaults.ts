import type { Policy } from './rules';

/**
 * The policy every new shop starts with (version 1): a 30-day window, a fix or an exchange offered before
 * store credit and the refund, no fees, photos for damaged or wrong items, which are refunded on approval.
 * The merchant changes it in the policy editor; the legal floor applies on top whatever they choose.
 */
export const DEFAULT_POLICY: Policy = {
	defaults: {
		eligibility: 'eligible',
		windowDays: 30,
		resolutions: ['fix', 'exchange_variant', 'exchange_product', 'store_credit', 'refund'],
		restockingFeeBasisPoints: 0,
		returnShippingFee: 0,
		waiveFeesForExchange: true,
		bonusCreditBasisPoints: 0,
		keepItemBelow: 0,
		photosRequired: false,
		refundTiming: 'at_drop_off'
	},
	rules: [
		{
			id: 'damaged-or-wrong',
			name: 'Damaged, defective or wrong items',
			when: { reasons: ['arrived_damaged', 'defective', 'wrong_item', 'missing_parts'] },
			then: { photosRequired: true, refundTiming: 'at_approval', resolutions: ['fix', 'exchange_variant', 'refund', 'store_credit'] }
		}
	]
};
