import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney } from './format';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('customer page formatting', () => {
	it('formats minor units with the currency exponent in the page language', () => {
		expect(nbsp(formatMoney(8990, 'EUR', 'fr'))).toBe('89,90 €');
		expect(formatMoney(8990, 'EUR', 'en')).toBe('€89.90');
		expect(formatMoney(1500, 'JPY', 'en')).toBe('¥1,500');
		expect(formatMoney(0, 'EUR', 'en')).toBe('€0.00');
	});

	it('formats a day in the shop time zone', () => {
		const lateEvening = new Date('2026-03-01T23:30:00Z');
		expect(formatDate(lateEvening, 'fr', 'Europe/Paris')).toBe('2 mars 2026');
		expect(formatDate(lateEvening, 'en', 'UTC')).toBe('March 1, 2026');
	});
});
