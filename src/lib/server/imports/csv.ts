import { parse } from 'csv-parse/sync';
import { m } from '$lib/paraglide/messages';

/** One problem in an uploaded file: its line (1 = the header), its column when known, and what is wrong. */
export interface ImportError {
	line: number;
	column: string | null;
	message: string;
}

export interface CsvRow {
	/** The file line the row starts on (the header is line 1). */
	line: number;
	values: Record<string, string>;
}

export const MAX_ROWS = 50_000;

/** `Ship Country` → `ship_country`: headers are forgiven their case, spaces and dashes. */
export function normalizeHeader(name: string): string {
	return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

function detectDelimiter(text: string): string {
	const header = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
	const counts = [',', ';', '\t'].map((d) => [d, header.split(d).length - 1] as const);
	return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

/**
 * Reads a CSV file (UTF-8, optional BOM, comma, semicolon or tab separated, header row) into rows keyed
 * by normalized column name. Every structural problem is reported with its line; values are left as text
 * (trimmed) for the caller to check.
 */
export function readCsv(text: string, columns: { required: readonly string[]; optional: readonly string[] }): { rows: CsvRow[]; errors: ImportError[] } {
	const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
	if (!normalized.trim()) return { rows: [], errors: [{ line: 1, column: null, message: m.catalogue_import_err_empty() }] };
	let records: { record: string[]; info: { lines: number } }[];
	try {
		records = parse(normalized, {
			delimiter: detectDelimiter(normalized),
			info: true,
			relax_column_count: true,
			skip_empty_lines: true,
			trim: true
		}) as unknown as typeof records;
	} catch (error) {
		const e = error as { message: string; lines?: number };
		return { rows: [], errors: [{ line: e.lines ?? 1, column: null, message: m.catalogue_import_err_parse({ detail: e.message }) }] };
	}
	const startLine = (r: { record: string[]; info: { lines: number } }) =>
		r.info.lines - r.record.reduce((n, v) => n + (v.match(/\n/g)?.length ?? 0), 0);

	const [head, ...body] = records;
	const headers = head.record.map(normalizeHeader);
	const known = [...columns.required, ...columns.optional];
	const errors: ImportError[] = [];
	headers.forEach((h, i) => {
		if (h === '' && body.every((r) => !r.record[i])) return; // a trailing separator
		if (!known.includes(h)) {
			errors.push({ line: 1, column: h || `#${i + 1}`, message: m.catalogue_import_err_unknown_column({ column: head.record[i], expected: known.join(', ') }) });
		} else if (headers.indexOf(h) !== i) {
			errors.push({ line: 1, column: h, message: m.catalogue_import_err_duplicate_column({ column: h }) });
		}
	});
	for (const required of columns.required) {
		if (!headers.includes(required)) errors.push({ line: 1, column: required, message: m.catalogue_import_err_missing_column({ column: required }) });
	}
	if (body.length === 0) errors.push({ line: 2, column: null, message: m.catalogue_import_err_no_rows() });
	if (body.length > MAX_ROWS) errors.push({ line: MAX_ROWS + 2, column: null, message: m.catalogue_import_err_too_many_rows({ max: MAX_ROWS }) });
	if (errors.length) return { rows: [], errors };

	const width = headers.length;
	const rows: CsvRow[] = [];
	for (const r of body) {
		const line = startLine(r);
		const extra = r.record.slice(width).filter((v) => v !== '');
		if (extra.length) {
			errors.push({ line, column: null, message: m.catalogue_import_err_too_many_values({ count: r.record.length, expected: width }) });
			continue;
		}
		const values: Record<string, string> = {};
		headers.forEach((h, i) => {
			if (h) values[h] = r.record[i] ?? '';
		});
		rows.push({ line, values });
	}
	return { rows, errors };
}

// Values ---------------------------------------------------------------------------------------------

/**
 * A date or date-time as merchants' exports write them: `2025-03-01`, `2025-03-01 14:30[:00]` (in the
 * shop's time zone), or ISO 8601 with `Z` or an offset. Null when it is none of those.
 */
export function parseImportDate(text: string, timeZone: string): Date | null {
	const value = text.trim();
	const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.exec(value);
	if (iso) {
		const d = new Date(value.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
		return Number.isNaN(d.getTime()) || !validDate(+iso[1], +iso[2], +iso[3]) ? null : d;
	}
	const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
	if (!local) return null;
	const [y, mo, d, h = '0', mi = '0', s = '0'] = local.slice(1).map((x) => x ?? undefined) as string[];
	if (!validDate(+y, +mo, +d) || +h > 23 || +mi > 59 || +s > 59) return null;
	return zonedTimeToUtc(+y, +mo, +d, +h, +mi, +s, timeZone);
}

function validDate(y: number, m: number, d: number): boolean {
	const date = new Date(Date.UTC(y, m - 1, d));
	return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The instant at which the wall clock in `timeZone` shows the given time. */
export function zonedTimeToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): Date {
	const wall = Date.UTC(y, mo - 1, d, h, mi, s);
	const offsetAt = (instant: number) => {
		const parts = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit'
		}).formatToParts(new Date(instant));
		const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
		return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - instant;
	};
	// Two passes settle the offset across a DST change.
	let guess = wall - offsetAt(wall);
	guess = wall - offsetAt(guess);
	return new Date(guess);
}

const TRUE = ['true', 'yes', 'oui', 'y', '1'];
const FALSE = ['false', 'no', 'non', 'n', '0'];

export function parseBoolean(text: string): boolean | null {
	const v = text.trim().toLowerCase();
	return TRUE.includes(v) ? true : FALSE.includes(v) ? false : null;
}

/** A VAT rate written `20`, `5.5`, `5,5` or `20 %`: exact to three decimals, else null. */
export function parseRate(text: string): number | null {
	const match = /^(\d{1,2})(?:[.,](\d{1,3}))?\s*%?$/.exec(text.trim());
	if (!match) return null;
	return Number(`${match[1]}.${match[2] ?? '0'}`);
}

/** A whole number written without separators. */
export function parseCount(text: string): number | null {
	return /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : null;
}

/** Serializes rows as CSV for the downloadable templates. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
	const cell = (v: string) => (/[",\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
	return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
