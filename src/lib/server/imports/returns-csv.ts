import { m } from '$lib/paraglide/messages';
import type { RequestedResolution } from '../returns/service';
import { parseCount, parseImportDate, type CsvRow, type ImportError } from './csv';

/**
 * Past returns, one row per returned item. Rows with the same return_reference (else the same order and
 * requested_at) make one return. The status says how it ended.
 */
export const RETURN_CSV_COLUMNS = {
	required: ['order_number', 'sku', 'quantity', 'reason_code', 'requested_at', 'status'],
	optional: ['closed_at', 'return_reference', 'comment']
} as const;

/** How a return ended: its decision, and for accepted items, what became of each. */
export const IMPORT_STATUSES = ['requested', 'accepted', 'received', 'refunded', 'credited', 'exchanged', 'kept', 'rejected', 'cancelled'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const RESOLVED_STATUSES = ['refunded', 'credited', 'exchanged', 'kept'] as const;
type ResolvedStatus = (typeof RESOLVED_STATUSES)[number];
const isResolved = (s: ImportStatus): s is ResolvedStatus => (RESOLVED_STATUSES as readonly string[]).includes(s);

const STATUS_ALIASES: Record<string, ImportStatus> = {
	requested: 'requested',
	pending: 'requested',
	open: 'requested',
	accepted: 'accepted',
	approved: 'accepted',
	received: 'received',
	refunded: 'refunded',
	refund: 'refunded',
	credited: 'credited',
	store_credit: 'credited',
	exchanged: 'exchanged',
	exchange: 'exchanged',
	kept: 'kept',
	keep: 'kept',
	rejected: 'rejected',
	declined: 'rejected',
	cancelled: 'cancelled',
	canceled: 'cancelled'
};

export const RESOLUTION_REQUESTED: Record<ResolvedStatus, RequestedResolution> = {
	refunded: 'refund',
	credited: 'store_credit',
	exchanged: 'exchange',
	kept: 'keep'
};

/** What the database knows that the rows are checked against. */
export interface ReturnsContext {
	timeZone: string;
	orders: Map<string, { id: string; orderedAt: Date }>;
	/** Lines of those orders: id, sku, quantity and units already in a return that still counts. */
	lines: Map<string, { id: string; sku: string | null; quantity: number; returned: number }[]>;
	/** Selectable reason codes (active leaves) and the groups, to explain a group chosen by mistake. */
	reasons: { leaves: Set<string>; groups: Map<string, string[]> };
	/** Returns already imported, by order id: their requested_at times. */
	imported: Map<string, number[]>;
}

export interface ReturnGroup {
	firstLine: number;
	lines: number[];
	orderId: string;
	requestedAt: Date;
	closedAt: Date | null;
	/** The decision-level status, or 'resolved' when every item has its own resolution. */
	status: Exclude<ImportStatus, ResolvedStatus> | 'resolved';
	items: { orderLineId: string; quantity: number; reasonCode: string; comment: string | null; resolution: ResolvedStatus | null }[];
}

export function buildReturns(rows: CsvRow[], ctx: ReturnsContext): { returns: ReturnGroup[]; skipped: number; errors: ImportError[] } {
	const errors: ImportError[] = [];
	const err = (line: number, column: string | null, message: string) => errors.push({ line, column, message });

	interface Parsed {
		row: CsvRow;
		order?: { id: string; orderedAt: Date };
		requestedAt: Date | null;
		closedAt: Date | null;
		status: ImportStatus | null;
		quantity: number | null;
	}
	const parsed: Parsed[] = rows.map((row) => {
		const v = row.values;
		const required = (column: string) => {
			if (!v[column]) err(row.line, column, m.catalogue_import_err_required());
			return v[column] ?? '';
		};
		const number = required('order_number');
		const order = number ? ctx.orders.get(number) : undefined;
		if (number && !order) err(row.line, 'order_number', m.catalogue_import_err_order_not_found({ value: number }));
		required('sku');
		const quantityText = required('quantity');
		const quantity = quantityText ? parseCount(quantityText) : null;
		if (quantityText && !quantity) err(row.line, 'quantity', m.catalogue_import_err_quantity({ value: quantityText }));
		const reason = required('reason_code');
		if (reason && !ctx.reasons.leaves.has(reason)) {
			const children = ctx.reasons.groups.get(reason);
			if (children) err(row.line, 'reason_code', m.catalogue_import_err_reason_group({ value: reason, codes: children.join(', ') }));
			else err(row.line, 'reason_code', m.catalogue_import_err_reason({ value: reason, codes: [...ctx.reasons.leaves].join(', ') }));
		}
		const requestedText = required('requested_at');
		const requestedAt = requestedText ? parseImportDate(requestedText, ctx.timeZone) : null;
		if (requestedText && !requestedAt) err(row.line, 'requested_at', m.catalogue_import_err_date({ value: requestedText }));
		if (requestedAt && order && requestedAt < order.orderedAt) err(row.line, 'requested_at', m.catalogue_import_err_before_order());
		const closedAt = v.closed_at ? parseImportDate(v.closed_at, ctx.timeZone) : null;
		if (v.closed_at && !closedAt) err(row.line, 'closed_at', m.catalogue_import_err_date({ value: v.closed_at }));
		if (closedAt && requestedAt && closedAt < requestedAt) err(row.line, 'closed_at', m.catalogue_import_err_closed_before());
		const statusText = required('status');
		const status = statusText ? (STATUS_ALIASES[statusText.toLowerCase().replace(/[\s-]+/g, '_')] ?? null) : null;
		if (statusText && !status) err(row.line, 'status', m.catalogue_import_err_status({ value: statusText, statuses: IMPORT_STATUSES.join(', ') }));
		if ((v.comment ?? '').length > 2000) err(row.line, 'comment', m.catalogue_import_err_too_long({ max: 2000 }));
		return { row, order, requestedAt, closedAt, status, quantity };
	});

	// Group into returns.
	const groups = new Map<string, Parsed[]>();
	for (const p of parsed) {
		if (!p.order || !p.requestedAt) continue;
		const key = p.row.values.return_reference
			? `ref:${p.row.values.return_reference}`
			: `auto:${p.order.id}:${p.requestedAt.getTime()}`;
		groups.set(key, [...(groups.get(key) ?? []), p]);
	}

	// Units still returnable per order line, as the file uses them up.
	const left = new Map<string, number>();
	for (const lines of ctx.lines.values()) for (const l of lines) left.set(l.id, l.quantity - l.returned);

	const returns: ReturnGroup[] = [];
	let skipped = 0;
	for (const group of groups.values()) {
		const [head] = group;
		const first = head.row.line;
		const before = errors.length;
		for (const p of group.slice(1)) {
			if (p.order!.id !== head.order!.id) err(p.row.line, 'order_number', m.catalogue_import_err_return_inconsistent({ line: first }));
			if (p.requestedAt!.getTime() !== head.requestedAt!.getTime()) err(p.row.line, 'requested_at', m.catalogue_import_err_return_inconsistent({ line: first }));
			if ((p.closedAt?.getTime() ?? null) !== (head.closedAt?.getTime() ?? null)) err(p.row.line, 'closed_at', m.catalogue_import_err_return_inconsistent({ line: first }));
			if (p.status && head.status && p.status !== head.status && !(isResolved(p.status) && isResolved(head.status))) {
				err(p.row.line, 'status', m.catalogue_import_err_status_mixed({ line: first, other: head.status }));
			}
		}
		if (group.some((p) => !p.status || !p.quantity) || errors.length > before) continue;

		const already = ctx.imported.get(head.order!.id) ?? [];
		if (already.includes(head.requestedAt!.getTime())) {
			skipped += group.length;
			continue;
		}
		const holdsUnits = head.status !== 'rejected' && head.status !== 'cancelled';
		const orderLines = ctx.lines.get(head.order!.id) ?? [];
		const used = new Map<string, number>();
		const items: ReturnGroup['items'] = [];
		for (const p of group) {
			const sku = p.row.values.sku;
			const candidates = orderLines.filter((l) => l.sku === sku);
			if (candidates.length === 0) {
				err(p.row.line, 'sku', m.catalogue_import_err_sku_not_in_order({ value: sku }));
				continue;
			}
			const line = candidates.find((l) => !used.has(l.id) && (left.get(l.id) ?? 0) >= p.quantity!) ?? candidates.find((l) => !used.has(l.id));
			if (!line) {
				err(p.row.line, 'sku', m.catalogue_import_err_duplicate_item({ line: [...group].find((q) => q.row.values.sku === sku)!.row.line }));
				continue;
			}
			used.set(line.id, p.row.line);
			const remaining = left.get(line.id) ?? 0;
			if (p.quantity! > remaining) {
				err(p.row.line, 'quantity', m.catalogue_import_err_quantity_exceeded({ left: Math.max(0, remaining) }));
				continue;
			}
			items.push({
				orderLineId: line.id,
				quantity: p.quantity!,
				reasonCode: p.row.values.reason_code,
				comment: p.row.values.comment || null,
				resolution: isResolved(p.status!) ? p.status : null
			});
		}
		if (errors.length > before) continue;
		if (holdsUnits) for (const item of items) left.set(item.orderLineId, (left.get(item.orderLineId) ?? 0) - item.quantity);
		const status = head.status!;
		returns.push({
			firstLine: first,
			lines: group.map((p) => p.row.line),
			orderId: head.order!.id,
			requestedAt: head.requestedAt!,
			closedAt: head.closedAt,
			status: isResolved(status) ? 'resolved' : status,
			items
		});
	}
	return { returns, skipped, errors };
}
