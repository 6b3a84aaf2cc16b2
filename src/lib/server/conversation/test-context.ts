import type { ConversationContext, Decision } from './engine';

/** For tests: an engine context with three lines (one already returned), a few reasons, a fixed decision and classifier. */
export const TEST_REASONS = [
	{ code: 'too_small', label: 'Too small' },
	{ code: 'too_large', label: 'Too large' },
	{ code: 'incompatible_device', label: 'Incompatible with my device' },
	{ code: 'wrong_item', label: 'Wrong item received' },
	{ code: 'defective', label: 'Defective or stopped working' },
	{ code: 'changed_mind', label: 'Changed my mind' },
	{ code: 'arrived_damaged', label: 'Arrived damaged' }
];

export function testContext(over: Partial<ConversationContext> = {}, decision?: Partial<Decision>): ConversationContext {
	return {
		locale: 'en',
		lines: [
			{ id: 'jean', title: 'Slim jeans W31', returnable: 2 },
			{ id: 'cable', title: 'USB-C cable', returnable: 1 },
			{ id: 'gone', title: 'Belt', returnable: 0 }
		],
		reasons: TEST_REASONS,
		withdrawalOpen: false,
		decide: () => ({
			eligibility: 'eligible',
			explanation: 'Eligible: delivered 5 days ago, within the 30-day window.',
			offers: [
				{ resolution: 'exchange_variant', label: 'Exchange for size W32' },
				{ resolution: 'store_credit', label: 'Store credit of €97.89' },
				{ resolution: 'refund', label: 'Refund of €84.95' }
			],
			canKeep: false,
			...decision
		}),
		classify: (text) =>
			/small|petit/i.test(text)
				? { reason: 'too_small', confidence: 0.9, ranking: [{ reason: 'too_small', probability: 0.9 }] }
				: { reason: 'changed_mind', confidence: 0.2, ranking: [{ reason: 'changed_mind', probability: 0.2 }, { reason: 'too_small', probability: 0.1 }] },
		confidenceThreshold: 0.5,
		photoIds: ['p1', 'p2'],
		...over
	};
}
