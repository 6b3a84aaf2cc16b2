import type { Policy, Rule } from './rules';
import { RISK_THRESHOLDS } from '../risk/score';

/**
 * What the risk score does by default, first in the list so a later rule (damaged items paid on approval)
 * cannot pay a suspicious return before its parcel is seen: from the hold threshold the refund waits for
 * the warehouse's inspection; from the review threshold a person decides, with photos asked for. Customers
 * on the allow list are trusted; those on the block list go to a person. None of it refuses a return, and the
 * legal floor still applies on top (a withdrawal is never reviewed; its refund waits at most for the parcel).
 */
export const RISK_RULES: Rule[] = [
	{
		id: 'risk-review',
		name: 'High risk score: a person decides',
		when: { riskScore: { min: RISK_THRESHOLDS.review }, allowlisted: false },
		then: { eligibility: 'needs_review', photosRequired: true, refundTiming: 'after_inspection' }
	},
	{
		id: 'risk-hold',
		name: 'Elevated risk score: refund after inspection',
		when: { riskScore: { min: RISK_THRESHOLDS.hold }, allowlisted: false },
		then: { refundTiming: 'after_inspection' }
	},
	{
		id: 'block-list',
		name: 'On the block list: a person decides',
		when: { blocklisted: true },
		then: { eligibility: 'needs_review', refundTiming: 'after_inspection' }
	}
];

/**
 * The policy every new shop starts with (version 1): a 30-day window, a fix or an exchange offered before
 * store credit and the refund, no fees, photos for damaged or wrong items, which are refunded on approval,
 * and the risk rules below.
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
		...RISK_RULES,
		{
			id: 'damaged-or-wrong',
			name: 'Damaged, defective or wrong items',
			when: { reasons: ['arrived_damaged', 'defective', 'wrong_item', 'missing_parts'] },
			then: { photosRequired: true, refundTiming: 'at_approval', resolutions: ['fix', 'exchange_variant', 'refund', 'store_credit'] }
		}
	]
};
