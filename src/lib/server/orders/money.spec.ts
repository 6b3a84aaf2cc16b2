import { describe, expect, it } from 'vitest';
import {
	currencyExponent,
	formatMinorUnits,
	formatMoney,
	lineTotal,
	orderAmounts,
	parseMajorUnits,
	rateToMilli,
	vatAmount
} from './money';

describe('currencyExponent', () => {
	it('knows the cent, zero-decimal and three-decimal currencies', () => {
		expect(currencyExponent('EUR')).toBe(2);
		expect(currencyExponent('USD')).toBe(2);
		expect(currencyExponent('JPY')).toBe(0);
		expect(currencyExponent('krw')).toBe(0);
		expect(currencyExponent('KWD')).toBe(3);
	});
});

describe('vatAmount', () => {
	it('extracts VAT from a tax-included total: 120.00 at 20 % holds 20.00', () => {
		expect(vatAmount(12000, 20, true)).toBe(2000);
	});

	it('adds VAT on a tax-excluded total: 100.00 at 20 % is 20.00', () => {
		expect(vatAmount(10000, 20, false)).toBe(2000);
	});

	it('rounds an exact half up', () => {
		// 0.25 × 10 % = 0.025 → 0.03
		expect(vatAmount(25, 10, false)).toBe(3);
		// 0.15 × 10 % = 0.015 → 0.02
		expect(vatAmount(15, 10, false)).toBe(2);
		// 2.10 incl. 5 %: 210 × 5 / 105 = 10 exactly
		expect(vatAmount(210, 5, true)).toBe(10);
		// 1.05 incl. 5 %: 105 × 5 / 105 = 5 exactly; 0.21 incl. 5 %: 1.0 → 1
		expect(vatAmount(21, 5, true)).toBe(1);
		// 0.31 incl. 24 %: 31 × 24 / 124 = 6.0 → 6; 0.93 incl. 24 %: 18.0 → 18
		expect(vatAmount(93, 24, true)).toBe(18);
		// 10.5 exactly: 105 excl. 10 % = 10.5 → 11
		expect(vatAmount(105, 10, false)).toBe(11);
	});

	it('rounds below a half down', () => {
		// 0.14 × 10 % = 0.014 → 0.01
		expect(vatAmount(14, 10, false)).toBe(1);
		// 89.00 incl. 20 %: 8900 / 6 = 1483.33 → 1483
		expect(vatAmount(8900, 20, true)).toBe(1483);
	});

	it('handles a 5.5 % rate exactly', () => {
		// 10.55 incl. 5.5 %: 1055 × 5.5 / 105.5 = 55 exactly
		expect(vatAmount(1055, 5.5, true)).toBe(55);
		// 100.00 incl. 5.5 %: 10000 × 5.5 / 105.5 = 521.327 → 521
		expect(vatAmount(10000, 5.5, true)).toBe(521);
		// 1.00 excl. 5.5 % = 0.055 → 0.06 (half up)
		expect(vatAmount(100, 5.5, false)).toBe(6);
		// 0.10 excl. 5.5 % = 0.0055 → 0.01
		expect(vatAmount(10, 5.5, false)).toBe(1);
		// 2.1 % on 0.50 excl. = 0.0105 → 0.01
		expect(vatAmount(50, 2.1, false)).toBe(1);
	});

	it('works in a zero-decimal currency (amounts are already minor units)', () => {
		// ¥1,100 incl. 10 %: 100 yen of VAT
		expect(vatAmount(1100, 10, true)).toBe(100);
		// ¥105 excl. 10 %: 10.5 → 11
		expect(vatAmount(105, 10, false)).toBe(11);
		expect(vatAmount(1, 8, true)).toBe(0);
	});

	it('is zero at a zero rate and for a zero total', () => {
		expect(vatAmount(12345, 0, true)).toBe(0);
		expect(vatAmount(0, 20, false)).toBe(0);
	});

	it('stays exact for very large totals', () => {
		expect(vatAmount(9_000_000_000_000, 20, false)).toBe(1_800_000_000_000);
	});

	it('refuses rates with more than three decimals and negative totals', () => {
		expect(() => vatAmount(100, 5.5555, true)).toThrow(RangeError);
		expect(() => vatAmount(-1, 20, true)).toThrow(RangeError);
		expect(() => vatAmount(1.5, 20, true)).toThrow(RangeError);
	});
});

describe('rateToMilli', () => {
	it('turns percentages into exact thousandths', () => {
		expect(rateToMilli(20)).toBe(20000);
		expect(rateToMilli(5.5)).toBe(5500);
		expect(rateToMilli(2.1)).toBe(2100);
		expect(rateToMilli(8.125)).toBe(8125);
		expect(rateToMilli(8.1255)).toBeNull();
		expect(rateToMilli(Number.NaN)).toBeNull();
	});
});

describe('lineTotal and orderAmounts', () => {
	it('is quantity × unit price − discount', () => {
		expect(lineTotal(3, 2999, 500)).toBe(8497);
		expect(lineTotal(1, 100)).toBe(100);
	});

	it('adds shipping to the subtotal, and VAT only when prices exclude it', () => {
		const lines = [
			{ quantity: 2, unitPrice: 5000, discount: 1000, vatAmount: 1500 },
			{ quantity: 1, unitPrice: 2000, discount: 0, vatAmount: 333 }
		];
		const included = orderAmounts({ taxesIncluded: true, lines, shipping: { amount: 495, vatAmount: 83 } });
		expect(included).toEqual({ lineTotals: [9000, 2000], subtotal: 11000, shipping: 495, shippingTax: 83, tax: 1916, total: 11495 });
		const excluded = orderAmounts({ taxesIncluded: false, lines, shipping: { amount: 495, vatAmount: 99 } });
		expect(excluded.total).toBe(11000 + 495 + 1500 + 333 + 99);
	});
});

describe('parseMajorUnits', () => {
	it('converts decimals with a point or a comma exactly', () => {
		expect(parseMajorUnits('89.00', 'EUR')).toBe(8900);
		expect(parseMajorUnits('89,5', 'EUR')).toBe(8950);
		expect(parseMajorUnits('0.10', 'EUR')).toBe(10);
		expect(parseMajorUnits('1234', 'EUR')).toBe(123400);
		expect(parseMajorUnits(' 19.99 ', 'EUR')).toBe(1999);
		// A float would make this 1004.9999…
		expect(parseMajorUnits('10.05', 'EUR')).toBe(1005);
		expect(parseMajorUnits('4.35', 'EUR')).toBe(435);
	});

	it('follows the currency exponent', () => {
		expect(parseMajorUnits('1200', 'JPY')).toBe(1200);
		expect(parseMajorUnits('1200.00', 'JPY')).toBe(1200);
		expect(parseMajorUnits('1200.5', 'JPY')).toBeNull();
		expect(parseMajorUnits('1.234', 'KWD')).toBe(1234);
	});

	it('refuses what is not a plain decimal or has too many decimals', () => {
		expect(parseMajorUnits('', 'EUR')).toBeNull();
		expect(parseMajorUnits('12.345', 'EUR')).toBeNull();
		expect(parseMajorUnits('1,234.50', 'EUR')).toBeNull();
		expect(parseMajorUnits('€12', 'EUR')).toBeNull();
		expect(parseMajorUnits('1e3', 'EUR')).toBeNull();
		expect(parseMajorUnits('12.340', 'EUR')).toBe(1234);
		expect(parseMajorUnits('-5.00', 'EUR')).toBe(-500);
	});
});

describe('formatting', () => {
	it('writes minor units back as major-unit decimals', () => {
		expect(formatMinorUnits(8900, 'EUR')).toBe('89.00');
		expect(formatMinorUnits(5, 'EUR')).toBe('0.05');
		expect(formatMinorUnits(1200, 'JPY')).toBe('1200');
		expect(formatMinorUnits(-150, 'EUR')).toBe('-1.50');
	});

	it('formats for a locale with Intl', () => {
		expect(formatMoney(8900, 'EUR', 'en')).toBe('€89.00');
		expect(formatMoney(8900, 'EUR', 'fr').replace(/\s/g, ' ')).toBe('89,00 €');
		expect(formatMoney(1200, 'JPY', 'en')).toBe('¥1,200');
	});
});
