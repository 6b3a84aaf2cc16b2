import { m } from '$lib/paraglide/messages';
import type { Queryable, Sql, TransactionSql } from '../db';
import { ConflictError, ValidationError } from '../api/errors';
import { ingestOrder } from '../orders/intake';
import { createReturn, resolveLine, ReturnError, transitionReturn, type Actor } from '../returns/service';
import { readCsv, type ImportError } from './csv';
import { buildOrders, fieldToCell, ORDER_CSV_COLUMNS } from './orders-csv';
import { buildReturns, RESOLUTION_REQUESTED, RETURN_CSV_COLUMNS, type ReturnGroup, type ReturnsContext } from './returns-csv';

export type ImportKind = 'orders' | 'returns';

export interface ImportRequest {
	shopId: string;
	timeZone: string;
	userId: string | null;
	kind: ImportKind;
	filename: string;
	content: string;
}

export interface ImportResult {
	id: string;
	kind: ImportKind;
	filename: string;
	status: 'succeeded' | 'failed';
	rowsTotal: number;
	rowsImported: number;
	/** Rows of returns already imported by an earlier run, left alone. */
	rowsSkipped: number;
	/** Orders only: how many were new, how many updated an order Retour already had. */
	created: number;
	updated: number;
	errors: ImportError[];
}

export interface ImportRun {
	id: string;
	kind: ImportKind;
	filename: string;
	status: 'succeeded' | 'failed';
	rowsTotal: number;
	rowsImported: number;
	errors: ImportError[];
	createdAt: Date;
	createdByEmail: string | null;
}

/** At most this many problems are kept with a run; the count says how many there were. */
const KEEP_ERRORS = 500;

/**
 * Checks a whole file first; with any problem nothing is imported and every problem is reported with
 * its line and column. A clean file is imported in one transaction, together with the record of the run.
 */
export async function runImport(sql: Sql, request: ImportRequest): Promise<ImportResult> {
	const columns = request.kind === 'orders' ? ORDER_CSV_COLUMNS : RETURN_CSV_COLUMNS;
	const csv = readCsv(request.content, columns);
	const rowsTotal = csv.rows.length;
	if (csv.errors.length) return recordFailure(sql, request, rowsTotal, csv.errors);
	return request.kind === 'orders' ? importOrders(sql, request, csv.rows) : importReturns(sql, request, csv.rows);
}

async function importOrders(sql: Sql, request: ImportRequest, rows: Parameters<typeof buildOrders>[0]): Promise<ImportResult> {
	const { orders, errors } = buildOrders(rows, { timeZone: request.timeZone });
	// An order number already used by another order of the shop (another external id).
	if (orders.length) {
		const taken = await sql<{ external_id: string; order_number: string }[]>`
			select external_id, order_number from orders
			where shop_id = ${request.shopId} and order_number = any(${sql.array(orders.map((o) => o.input.orderNumber))}::text[])`;
		const owner = new Map(taken.map((t) => [t.order_number, t.external_id]));
		for (const o of orders) {
			const existing = owner.get(o.input.orderNumber);
			if (existing !== undefined && existing !== o.key) {
				errors.push({ line: o.firstLine, column: 'order_number', message: m.catalogue_import_err_number_taken({ number: o.input.orderNumber }) });
			}
		}
	}
	if (errors.length) return recordFailure(sql, request, rows.length, errors);

	let current = orders[0];
	try {
		return (await sql.begin(async (tx) => {
			let created = 0;
			for (const order of orders) {
				current = order;
				const result = await ingestOrder(tx, request.shopId, order.input, { source: 'import' });
				if (result.created) created++;
			}
			const counts = { created, updated: orders.length - created, skipped: 0 };
			return recordSuccess(tx, request, rows.length, rows.length, counts);
		})) as ImportResult;
	} catch (error) {
		return recordFailure(sql, request, rows.length, writeErrors(error, current.firstLine, current.lines));
	}
}

async function importReturns(sql: Sql, request: ImportRequest, rows: Parameters<typeof buildReturns>[0]): Promise<ImportResult> {
	const actor: Actor = { kind: 'import', id: request.userId };
	let current: ReturnGroup | undefined;
	let invalid: ImportError[] = [];
	try {
		const result = (await sql.begin(async (tx) => {
			// A double-submitted upload waits here, then finds the first one's returns and skips them.
			await tx`select pg_advisory_xact_lock(hashtext(${'retour.import-returns.' + request.shopId}))`;
			const ctx = await returnsContext(tx, request, rows.map((r) => r.values.order_number).filter(Boolean));
			const { returns, skipped, errors } = buildReturns(rows, ctx);
			if (errors.length) {
				invalid = errors;
				return null;
			}
			for (const group of returns) {
				current = group;
				await writeReturn(tx, request.shopId, group, actor);
			}
			return recordSuccess(tx, request, rows.length, rows.length - skipped, { created: returns.length, updated: 0, skipped });
		})) as ImportResult | null;
		return result ?? (await recordFailure(sql, request, rows.length, invalid));
	} catch (error) {
		if (!current) throw error;
		const failed: ReturnGroup = current;
		return recordFailure(sql, request, rows.length, writeErrors(error, failed.firstLine, failed.lines));
	}
}

/** Replays a past return through the returns service, so its history has the same events as a live one. */
async function writeReturn(tx: TransactionSql, shopId: string, group: ReturnGroup, actor: Actor) {
	const allKept = group.status === 'resolved' && group.items.every((i) => i.resolution === 'kept');
	const ret = await createReturn(
		tx,
		{
			shopId,
			orderId: group.orderId,
			channel: 'import',
			requestedAt: group.requestedAt,
			receptionStatus: allKept ? 'not_required' : 'awaiting',
			lines: group.items.map((i) => ({
				orderLineId: i.orderLineId,
				quantity: i.quantity,
				reasonCode: i.reasonCode,
				comment: i.comment,
				requestedResolution: i.resolution ? RESOLUTION_REQUESTED[i.resolution] : null
			}))
		},
		actor
	);
	const at = group.closedAt ?? group.requestedAt;
	const move = (machine: 'reception' | 'decision', to: string, reason?: string) =>
		transitionReturn(tx, { shopId, returnId: ret.id, machine, to, reason, at, payload: { imported: true } }, actor);
	switch (group.status) {
		case 'requested':
			return;
		case 'accepted':
			await move('decision', 'accepted');
			return;
		case 'received':
			await move('reception', 'received');
			await move('decision', 'accepted');
			return;
		case 'rejected':
			await move('decision', 'rejected', m.catalogue_import_rejected_reason());
			return;
		case 'cancelled':
			await move('decision', 'cancelled');
			return;
		case 'resolved': {
			if (!allKept) await move('reception', 'received');
			await move('decision', 'accepted');
			const byOrderLine = new Map(ret.lines.map((l) => [l.orderLineId, l.id]));
			for (const item of group.items) {
				await resolveLine(tx, { shopId, returnLineId: byOrderLine.get(item.orderLineId)!, to: item.resolution!, at, payload: { imported: true } }, actor);
			}
		}
	}
}

async function returnsContext(sql: Queryable, request: ImportRequest, numbers: string[]): Promise<ReturnsContext> {
	const unique = [...new Set(numbers)];
	const [orders, reasons] = await Promise.all([
		sql<{ id: string; order_number: string; ordered_at: Date }[]>`
			select id, order_number, ordered_at from orders
			where shop_id = ${request.shopId} and order_number = any(${sql.array(unique)}::text[])`,
		sql<{ code: string; parent_code: string | null; active: boolean }[]>`
			select code, parent_code, active from return_reasons where shop_id = ${request.shopId} order by position, code`
	]);
	const orderIds = orders.map((o) => o.id);
	const [lines, imported] = await Promise.all([
		sql<{ id: string; order_id: string; sku: string | null; quantity: number; returned: number }[]>`
			select l.id, l.order_id, l.sku, l.quantity,
				coalesce((select sum(rl.quantity) from return_lines rl join returns r on r.id = rl.return_id
					where rl.order_line_id = l.id and r.decision_status not in ('cancelled', 'rejected')), 0)::int as returned
			from order_lines l where l.shop_id = ${request.shopId} and l.order_id = any(${sql.array(orderIds)}::uuid[])
			order by l.order_id, l.position`,
		sql<{ order_id: string; requested_at: Date }[]>`
			select order_id, requested_at from returns
			where shop_id = ${request.shopId} and channel = 'import' and order_id = any(${sql.array(orderIds)}::uuid[])`
	]);
	const parents = new Set(reasons.map((r) => r.parent_code).filter(Boolean));
	const groups = new Map<string, string[]>();
	for (const r of reasons) {
		if (r.parent_code && r.active) groups.set(r.parent_code, [...(groups.get(r.parent_code) ?? []), r.code]);
	}
	const byOrder = new Map<string, ReturnsContext['lines'] extends Map<string, infer V> ? V : never>();
	for (const l of lines) byOrder.set(l.order_id, [...(byOrder.get(l.order_id) ?? []), { id: l.id, sku: l.sku, quantity: l.quantity, returned: l.returned }]);
	const importedBy = new Map<string, number[]>();
	for (const r of imported) importedBy.set(r.order_id, [...(importedBy.get(r.order_id) ?? []), r.requested_at.getTime()]);
	return {
		timeZone: request.timeZone,
		orders: new Map(orders.map((o) => [o.order_number, { id: o.id, orderedAt: o.ordered_at }])),
		lines: byOrder,
		reasons: { leaves: new Set(reasons.filter((r) => r.active && !parents.has(r.code)).map((r) => r.code)), groups },
		imported: importedBy
	};
}

/** A failure while writing (the checks passed, the database refused): the rows of the order or return at fault. */
function writeErrors(error: unknown, firstLine: number, lineNumbers: number[]): ImportError[] {
	if (error instanceof ValidationError || error instanceof ConflictError) {
		const fields = error.fields.length ? error.fields : [{ path: '', message: error.message }];
		return fields.map((f) => fieldToCell(f.path, m.catalogue_import_err_write({ detail: `${f.path ? f.path + ': ' : ''}${f.message}` }), firstLine, lineNumbers));
	}
	if (error instanceof ReturnError) {
		const index = /^lines\[(\d+)\]/.exec(error.field ?? '')?.[1];
		return [{ line: index ? (lineNumbers[Number(index)] ?? firstLine) : firstLine, column: null, message: m.catalogue_import_err_write({ detail: error.message }) }];
	}
	throw error;
}

/** The first KEEP_ERRORS problems, and a last line saying how many more there were. */
function keptErrors(errors: ImportError[]): ImportError[] {
	if (errors.length <= KEEP_ERRORS) return errors;
	return [...errors.slice(0, KEEP_ERRORS), { line: 0, column: null, message: m.catalogue_imports_more_errors({ count: errors.length - KEEP_ERRORS }) }];
}

function sortErrors(errors: ImportError[]): ImportError[] {
	return [...errors].sort((a, b) => a.line - b.line || (a.column ?? '').localeCompare(b.column ?? ''));
}

async function recordFailure(sql: Queryable, request: ImportRequest, rowsTotal: number, errors: ImportError[]): Promise<ImportResult> {
	const sorted = sortErrors(errors);
	const [row] = await sql<{ id: string }[]>`
		insert into imports (shop_id, kind, filename, status, rows_total, rows_imported, errors, created_by)
		values (${request.shopId}, ${request.kind}, ${request.filename}, 'failed', ${rowsTotal}, 0,
			${sql.json(keptErrors(sorted) as never)}, ${request.userId})
		returning id`;
	return { id: row.id, kind: request.kind, filename: request.filename, status: 'failed', rowsTotal, rowsImported: 0, rowsSkipped: 0, created: 0, updated: 0, errors: sorted };
}

async function recordSuccess(
	tx: TransactionSql,
	request: ImportRequest,
	rowsTotal: number,
	rowsImported: number,
	counts: { created: number; updated: number; skipped: number }
): Promise<ImportResult> {
	const [row] = await tx<{ id: string }[]>`
		insert into imports (shop_id, kind, filename, status, rows_total, rows_imported, errors, created_by)
		values (${request.shopId}, ${request.kind}, ${request.filename}, 'succeeded', ${rowsTotal}, ${rowsImported},
			'[]'::jsonb, ${request.userId})
		returning id`;
	return {
		id: row.id,
		kind: request.kind,
		filename: request.filename,
		status: 'succeeded',
		rowsTotal,
		rowsImported,
		rowsSkipped: counts.skipped,
		created: counts.created,
		updated: counts.updated,
		errors: []
	};
}

/** The shop's runs, newest first. */
export async function listImports(sql: Queryable, shopId: string, limit = 50): Promise<ImportRun[]> {
	const rows = await sql`
		select i.id, i.kind, i.filename, i.status, i.rows_total, i.rows_imported, i.errors, i.created_at, u.email as created_by_email
		from imports i left join users u on u.id = i.created_by
		where i.shop_id = ${shopId} order by i.created_at desc, i.id limit ${limit}`;
	return rows.map((r) => {
		const errors = (typeof r.errors === 'string' ? JSON.parse(r.errors) : r.errors) as ImportError[];
		return {
			id: r.id as string,
			kind: r.kind as ImportKind,
			filename: r.filename as string,
			status: r.status as 'succeeded' | 'failed',
			rowsTotal: r.rows_total as number,
			rowsImported: r.rows_imported as number,
			errors,
			createdAt: r.created_at as Date,
			createdByEmail: (r.created_by_email as string | null) ?? null
		};
	});
}
