import type { Policy } from '../policy/rules';
import { RISK_RULES } from '../policy/defaults';

/**
 * Maison Lumen's policy, saved by its owner as version 2 over the default: 30 days, €4.95 return
 * shipping waived for exchanges, 10 % bonus on store credit, damaged items under €30 kept rather than shipped back,
 * free returns with photos for damaged goods, and the default risk rules (a high return rate alone sends no one
 * to a person: heavy returners are mostly honest customers).
 */
export const DEMO_POLICY: Policy = {
	currency: 'EUR',
	defaults: {
		eligibility: 'eligible',
		windowDays: 30,
		resolutions: ['fix', 'exchange_variant', 'exchange_product', 'store_credit', 'refund'],
		restockingFeeBasisPoints: 0,
		returnShippingFee: 495,
		waiveFeesForExchange: true,
		bonusCreditBasisPoints: 1000,
		keepItemBelow: 0,
		photosRequired: false,
		refundTiming: 'at_drop_off'
	},
	rules: [
		...RISK_RULES,
		{
			id: 'damaged-or-wrong',
			name: 'Damaged, defective or wrong items',
			when: { reasons: ['arrived_damaged', 'defective', 'wrong_item', 'missing_parts'] },
			then: { photosRequired: true, refundTiming: 'at_approval', returnShippingFee: 0, keepItemBelow: 3000 }
		},
		{
			id: 'sale-items',
			name: 'Discounted items: store credit before refund',
			when: { discounted: true },
			then: { resolutions: ['exchange_variant', 'store_credit', 'refund'] }
		}
	]
};
