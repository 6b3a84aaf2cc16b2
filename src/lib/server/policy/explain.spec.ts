import { describe, expect, it } from 'vitest';
import { explain } from './explain';
import type { Verdict } from './validators';

describe('explain', () => {
	it('says why a line is eligible, in English and French', () => {
		const verdicts = [{ code: 'window' as const, outcome: 'eligible' as const, params: { days: 12, windowDays: 30 } }];
		expect(explain('eligible', verdicts, 'en')).toBe('Eligible: delivered 12 days ago, within the 30-day window.');
		expect(explain('eligible', verdicts, 'fr')).toBe('Éligible : livré il y a 12 jours, dans le délai de 30 jours.');
	});

	it('gives the decisive reasons first and only', () => {
		const verdicts: Verdict[] = [
			{ code: 'window' as const, outcome: 'not_eligible' as const, params: { days: 45, windowDays: 30 } },
			{ code: 'final_sale' as const, outcome: 'not_eligible' as const, params: {} },
			{ code: 'not_delivered' as const, outcome: 'needs_review' as const, params: {} }
		];
		expect(explain('not_eligible', verdicts, 'en')).toBe(
			'Not eligible: delivered 45 days ago, after the 30-day window; this item was sold as final sale.'
		);
	});

	it('words the withdrawal period', () => {
		const v = [{ code: 'withdrawal_period' as const, outcome: 'eligible' as const, params: { withdrawalDays: 14, daysLeft: 1 } }];
		expect(explain('eligible', v, 'en')).toBe('Eligible: within the 14-day withdrawal period (1 day left).');
		expect(explain('eligible', v, 'fr')).toBe('Éligible : dans le délai de rétractation de 14 jours (encore 1 jour).');
	});

	it('counts from the order while the parcel is on its way, and agrees in number in French', () => {
		const verdicts = [{ code: 'window' as const, outcome: 'eligible' as const, params: { days: 3, windowDays: 30, from: 'order' } }];
		expect(explain('eligible', verdicts, 'en')).toBe('Eligible: ordered 3 days ago, within the 30-day window.');
		expect(explain('eligible', verdicts, 'fr')).toBe('Éligible : commandé il y a 3 jours, dans le délai de 30 jours.');
		const one = [{ code: 'quantity_left' as const, outcome: 'not_eligible' as const, params: { requested: 2, left: 1 } }];
		expect(explain('not_eligible', one, 'fr')).toBe('Non éligible : seulement 1 peut encore être retourné.');
	});
});
