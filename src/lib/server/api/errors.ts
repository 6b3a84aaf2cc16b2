import type { z } from 'zod';
import { CreditError, type CreditErrorCode } from '../credit/code';

/**
 * Errors the JSON API answers with, and the domain errors that map to them. Every error body is
 * `{ "error": { "code", "message", "fields"? } }`; `fields` names each bad input by its JSON path.
 */

export interface FieldError {
	/** JSON path of the bad value: `lines[0].quantity`, `variants[2].options.Size`. */
	path: string;
	message: string;
}

export type ErrorCode =
	| 'unauthorized'
	| 'invalid_json'
	| 'validation_failed'
	| 'not_found'
	| 'conflict'
	| 'method_not_allowed'
	| 'payload_too_large'
	| 'internal_error'
	| CreditErrorCode;

/** Bad input: answered 422 with every field that is wrong. Thrown inside a transaction, it rolls it back. */
export class ValidationError extends Error {
	readonly fields: FieldError[];
	constructor(fields: FieldError[], message?: string) {
		super(message ?? summarize(fields));
		this.name = 'ValidationError';
		this.fields = fields;
	}
}

/** The request is valid but clashes with what is stored (e.g. removing an order line that has a return): 409. */
export class ConflictError extends Error {
	readonly fields: FieldError[];
	constructor(message: string, fields: FieldError[] = []) {
		super(message);
		this.name = 'ConflictError';
		this.fields = fields;
	}
}

export class NotFoundError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'NotFoundError';
	}
}

function summarize(fields: FieldError[]): string {
	if (fields.length === 0) return 'The request is not valid.';
	const first = `${fields[0].path || 'body'}: ${fields[0].message}`;
	return fields.length === 1 ? `The request has 1 invalid field (${first}).` : `The request has ${fields.length} invalid fields (first: ${first}).`;
}

/** `['lines', 0, 'quantity']` → `lines[0].quantity`; keys that are not identifiers are quoted: `options["Shoe size"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
	let out = '';
	for (const part of path) {
		if (typeof part === 'number') out += `[${part}]`;
		else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
		else out += `[${JSON.stringify(String(part))}]`;
	}
	return out;
}

/** Zod issues as field errors, one per bad field; unknown keys are each named. */
export function issuesToFields(issues: readonly z.core.$ZodIssue[]): FieldError[] {
	const fields: FieldError[] = [];
	for (const issue of issues) {
		if (issue.code === 'unrecognized_keys') {
			for (const key of issue.keys) {
				fields.push({ path: formatPath([...issue.path, key]), message: 'is not a known field (check its spelling)' });
			}
		} else if (issue.code === 'invalid_key') {
			fields.push({ path: formatPath(issue.path), message: `is not a valid key: ${issue.issues[0]?.message ?? 'invalid'}` });
		} else {
			fields.push({ path: formatPath(issue.path), message: issue.message });
		}
	}
	return fields;
}

const TYPE_NAMES: Record<string, string> = {
	string: 'a string',
	number: 'a number',
	int: 'an integer',
	boolean: 'true or false',
	array: 'an array',
	object: 'an object',
	record: 'an object'
};

function describeInput(input: unknown): string {
	if (input === null) return 'null';
	if (Array.isArray(input)) return 'an array';
	if (typeof input === 'number' && !Number.isInteger(input)) return `the decimal ${input}`;
	return typeof input === 'object' ? 'an object' : `${typeof input} ${JSON.stringify(input)}`.slice(0, 60);
}

/**
 * A per-parse error map for zod: plain messages for the generic cases. Messages set on a schema win.
 * Pass as `schema.safeParse(data, { error: friendlyErrors })`.
 */
export const friendlyErrors: z.core.$ZodErrorMap = (issue) => {
	switch (issue.code) {
		case 'invalid_type': {
			if (issue.input === undefined) return 'is required';
			const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
			return `must be ${expected}, got ${describeInput(issue.input)}`;
		}
		case 'too_small':
			if (issue.origin === 'array') return `must have at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`;
			if (issue.origin === 'string') return Number(issue.minimum) === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters long`;
			return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}`;
		case 'too_big':
			if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
			if (issue.origin === 'string') return `must be at most ${issue.maximum} characters long`;
			return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
		case 'invalid_value':
			return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
		default:
			return undefined;
	}
};

/** Validates with zod and either returns the parsed value or throws a ValidationError naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, extra: (data: unknown) => FieldError[] = () => []): z.output<S> {
	const result = schema.safeParse(data, { error: friendlyErrors });
	const fields = [...(result.success ? [] : issuesToFields(result.error.issues)), ...extra(data)];
	if (fields.length) throw new ValidationError(dedupe(fields));
	return result.data as z.output<S>;
}

function dedupe(fields: FieldError[]): FieldError[] {
	const seen = new Set<string>();
	return fields.filter((f) => {
		const key = `${f.path}\u0000${f.message}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

// HTTP ------------------------------------------------------------------------------------------------

export interface ErrorBody {
	error: { code: ErrorCode; message: string; fields?: FieldError[] };
}

export function errorResponse(status: number, code: ErrorCode, message: string, fields?: FieldError[], headers: Record<string, string> = {}): Response {
	const body: ErrorBody = { error: { code, message, ...(fields ? { fields } : {}) } };
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers }
	});
}

export const unauthorized = (message = 'Send a valid shop API key as "Authorization: Bearer rtr_live_…".') =>
	errorResponse(401, 'unauthorized', message, undefined, { 'www-authenticate': 'Bearer realm="retour"' });

export const invalidJson = (message: string) => errorResponse(400, 'invalid_json', message);

export const notFound = (message: string) => errorResponse(404, 'not_found', message);

/** Maps a thrown domain error to its response; anything unexpected is rethrown for the caller to log. */
export function responseForError(error: unknown): Response {
	if (error instanceof ValidationError) return errorResponse(422, 'validation_failed', error.message, error.fields);
	if (error instanceof ConflictError) return errorResponse(409, 'conflict', error.message, error.fields.length ? error.fields : undefined);
	if (error instanceof NotFoundError) return notFound(error.message);
	if (error instanceof CreditError) {
		const status = CREDIT_STATUS[error.code];
		const fields = status === 422 && error.field ? [{ path: error.field, message: error.message }] : undefined;
		return errorResponse(status, error.code, error.message, fields);
	}
	throw error;
}

/** A missing key is a malformed request (400); a key reused for another spend clashes with what is stored (409). */
const CREDIT_STATUS: Record<CreditErrorCode, number> = {
	credit_not_found: 404,
	invalid_idempotency_key: 400,
	idempotency_conflict: 409,
	invalid_amount: 422,
	invalid_currency: 422,
	insufficient_balance: 422,
	credit_expired: 422,
	currency_mismatch: 422
};
