import { describe, expect, it } from 'vitest';
import { normalizeHeader, parseBoolean, parseCount, parseImportDate, parseRate, readCsv, toCsv, zonedTimeToUtc } from './csv';

const columns = { required: ['a', 'b'], optional: ['c'] };

describe('readCsv', () => {
	it('reads comma, semicolon and tab files with a BOM and CRLF, keyed by normalized header', () => {
		for (const sep of [',', ';', '\t']) {
			const { rows, errors } = readCsv(`\uFEFFA${sep} B ${sep}c\r\n1${sep}2${sep}3\r\n\r\n4${sep}5${sep}\r\n`, columns);
			expect(errors).toEqual([]);
			expect(rows).toEqual([
				{ line: 2, values: { a: '1', b: '2', c: '3' } },
				{ line: 4, values: { a: '4', b: '5', c: '' } }
			]);
		}
	});

	it('gives the line a row starts on, also after a quoted value spanning lines', () => {
		const { rows } = readCsv('a,b\n1,"two\nlines"\n3,4\n', columns);
		expect(rows.map((r) => r.line)).toEqual([2, 4]);
		expect(rows[0].values.b).toBe('two\nlines');
	});

	it('reports unknown, missing and repeated columns on line 1', () => {
		const { errors } = readCsv('a,A,zzz\n1,2,3\n', columns);
		expect(errors.map((e) => [e.line, e.column])).toEqual([
			[1, 'a'],
			[1, 'zzz'],
			[1, 'b']
		]);
		expect(errors[1].message).toContain('zzz');
	});

	it('reports an empty file, a header without rows, rows with too many values and broken quoting', () => {
		expect(readCsv('  \n', columns).errors[0]).toMatchObject({ line: 1 });
		expect(readCsv('a,b\n', columns).errors[0]).toMatchObject({ line: 2 });
		expect(readCsv('a,b\n1,2\n1,2,3\n', columns).errors).toEqual([{ line: 3, column: null, message: expect.stringContaining('3') }]);
		expect(readCsv('a,b\n1,"2\n', columns).errors[0].message).toMatch(/CSV/);
	});
});

describe('values', () => {
	it('parses dates: ISO with zone, or local shop time', () => {
		expect(parseImportDate('2025-03-01T14:30:00Z', 'Europe/Paris')?.toISOString()).toBe('2025-03-01T14:30:00.000Z');
		expect(parseImportDate('2025-03-01T14:30:00+0200', 'Europe/Paris')?.toISOString()).toBe('2025-03-01T12:30:00.000Z');
		expect(parseImportDate('2025-03-01', 'Europe/Paris')?.toISOString()).toBe('2025-02-28T23:00:00.000Z');
		expect(parseImportDate('2025-07-01 09:15', 'Europe/Paris')?.toISOString()).toBe('2025-07-01T07:15:00.000Z');
		expect(parseImportDate('2025-07-01', 'UTC')?.toISOString()).toBe('2025-07-01T00:00:00.000Z');
		for (const bad of ['2025-02-30', '01/03/2025', 'yesterday', '2025-03-01T25:00:00Z', '']) expect(parseImportDate(bad, 'Europe/Paris')).toBeNull();
	});

	it('finds the instant across a daylight-saving change', () => {
		// 2025-03-30 03:30 in Paris is after the switch to summer time (UTC+2).
		expect(zonedTimeToUtc(2025, 3, 30, 3, 30, 0, 'Europe/Paris').toISOString()).toBe('2025-03-30T01:30:00.000Z');
		expect(zonedTimeToUtc(2025, 10, 26, 12, 0, 0, 'Europe/Paris').toISOString()).toBe('2025-10-26T11:00:00.000Z');
	});

	it('parses rates, counts and yes/no', () => {
		expect(parseRate('20')).toBe(20);
		expect(parseRate('5,5')).toBe(5.5);
		expect(parseRate('5.5 %')).toBe(5.5);
		expect(parseRate('2.125')).toBe(2.125);
		expect(parseRate('100')).toBeNull();
		expect(parseRate('-1')).toBeNull();
		expect(parseCount('3')).toBe(3);
		expect(parseCount('1.5')).toBeNull();
		expect(parseBoolean('Oui')).toBe(true);
		expect(parseBoolean('0')).toBe(false);
		expect(parseBoolean('maybe')).toBeNull();
		expect(normalizeHeader(' Ship Country ')).toBe('ship_country');
	});

	it('writes CSV that reads back', () => {
		const text = toCsv(['a', 'b'], [['x, y', 'say "hi"']]);
		expect(readCsv(text, columns).rows[0].values).toEqual({ a: 'x, y', b: 'say "hi"' });
	});
});
