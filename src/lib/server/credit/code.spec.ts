import { describe, expect, it } from 'vitest';
import { CREDIT_CODE_ALPHABET, CREDIT_CODE_PATTERN, generateCreditCode, maskCreditCode, normalizeCreditCode } from './code';

describe('generateCreditCode', () => {
	it('makes XXXX-XXXX-XXXX codes the migration accepts, from an alphabet without 0, O, 1 or I', () => {
		expect(CREDIT_CODE_ALPHABET).toHaveLength(32); // 5 bits a symbol: 60 bits in 12
		expect(new Set(CREDIT_CODE_ALPHABET).size).toBe(32);
		for (const c of '0O1I') expect(CREDIT_CODE_ALPHABET).not.toContain(c);
		for (let i = 0; i < 500; i++) {
			const code = generateCreditCode();
			expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
			expect(code).toMatch(CREDIT_CODE_PATTERN);
			expect(normalizeCreditCode(code)).toBe(code);
		}
	});

	it('is random: no repeats, and every symbol in every position over many codes', () => {
		const codes = Array.from({ length: 5000 }, generateCreditCode);
		expect(new Set(codes).size).toBe(codes.length);
		const symbols = codes.map((c) => c.replace(/-/g, ''));
		for (let position = 0; position < 12; position++) {
			expect(new Set(symbols.map((s) => s[position])).size, `position ${position}`).toBe(32);
		}
	});
});

describe('normalizeCreditCode', () => {
	it('reads a code as customers type or paste it', () => {
		expect(normalizeCreditCode('ABCD-EFGH-JKLM')).toBe('ABCD-EFGH-JKLM');
		expect(normalizeCreditCode('abcd-efgh-jklm')).toBe('ABCD-EFGH-JKLM');
		expect(normalizeCreditCode('  abcd efgh  jklm ')).toBe('ABCD-EFGH-JKLM');
		expect(normalizeCreditCode('ABCDEFGHJKLM')).toBe('ABCD-EFGH-JKLM');
		expect(normalizeCreditCode('ABCD–EFGH—JKLM')).toBe('ABCD-EFGH-JKLM'); // dashes a word processor makes
		expect(normalizeCreditCode('abcd-efghjklm\t')).toBe('ABCD-EFGH-JKLM');
		expect(normalizeCreditCode('AB12-CD34-EF56-GH78')).toBe('AB12-CD34-EF56-GH78'); // four groups (imported codes)
	});

	it('answers null for what cannot be a code', () => {
		for (const input of ['', '   ', 'ABCD-EFGH', 'ABCD-EFGH-JKL', 'ABCD-EFGH-JKLMN', 'ABCD-EFGH-JKLM-NPQR-STUV', 'ABCD_EFGH_JKLM', 'ÀBCD-EFGH-JKLM', 'ABCD-EFGH-JKL%', 'A'.repeat(100)]) {
			expect(normalizeCreditCode(input), JSON.stringify(input)).toBeNull();
		}
	});
});

describe('maskCreditCode', () => {
	it('keeps only the last group', () => {
		expect(maskCreditCode('ABCD-EFGH-JKLM')).toBe('XXXX-…-JKLM');
		expect(maskCreditCode('ABCD-EFGH-JKLM')).not.toContain('ABCD');
	});
});
