import { describe, expect, it } from 'vitest';
import { currencyExponent, minorToDecimal, moneyFormatter } from './money';

describe('money for display', () => {
	it('uses ISO 4217 exponents', () => {
		expect(currencyExponent('EUR')).toBe(2);
		expect(currencyExponent('jpy')).toBe(0);
		expect(currencyExponent('KWD')).toBe(3);
		expect(currencyExponent('HUF')).toBe(2);
	});

	it('turns minor units into exact decimals', () => {
		expect(minorToDecimal(8900, 'EUR')).toBe('89.00');
		expect(minorToDecimal(5, 'EUR')).toBe('0.05');
		expect(minorToDecimal(-1234, 'EUR')).toBe('-12.34');
		expect(minorToDecimal(1500, 'JPY')).toBe('1500');
		expect(minorToDecimal(1500, 'KWD')).toBe('1.500');
		expect(minorToDecimal(9007199254740991, 'EUR')).toBe('90071992547409.91');
	});

	it('formats in the page language without inflating currencies Intl rounds', () => {
		const en = moneyFormatter('en');
		expect(en(8900, 'EUR')).toBe('€89.00');
		expect(moneyFormatter('fr')(8900, 'EUR')).toMatch(/^89,00\s€$/);
		expect(en(150000, 'HUF')).toMatch(/1,500\.00/);
		expect(en(1500, 'JPY')).toBe('¥1,500');
	});
});
