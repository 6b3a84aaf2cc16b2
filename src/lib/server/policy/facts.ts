import type { DecideInput } from './decide';
import type { QuoteLineInput } from './quote';
import type { ItemCondition } from './rules';

/**
 * From database rows to the facts the engine reads, pure, so the entry point (one return now) and the
 * simulation (every past return as it was then) build them the same way.
 */

const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();

/** The time zone's offset from UTC at `ms`, in milliseconds (Intl has no direct way to ask). */
function offsetAt(ms: number, timeZone: string): number {
	const key = `${timeZone}|${Math.floor(ms / 3_600_000)}`; // offsets change on the hour, at most
	let offset = offsets.get(key);
	if (offset === undefined) {
		let format = formatters.get(timeZone);
		if (!format) {
			format = new Intl.DateTimeFormat('en-US', {
				timeZone,
				hourCycle: 'h23',
				year: 'numeric',
				month: 'numeric',
				day: 'numeric',
				hour: 'numeric',
				minute: 'numeric',
				second: 'numeric'
			});
			formatters.set(timeZone, format);
		}
		const p = Object.fromEntries(format.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
		offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (((ms % 1000) + 1000) % 1000));
		if (offsets.size > 50_000) offsets.clear();
		offsets.set(key, offset);
	}
	return offset;
}

/**
 * Calendar days from `from` to `to` in the shop's time zone, never negative: delivered on the 13th, asked
 * on the 27th is 14 days, whatever the hour or a clock change between (the law counts days, not hours).
 */
export function wholeDays(from: Date, to: Date, timeZone = 'UTC'): number {
	const day = (ms: number) => Math.floor((ms + offsetAt(ms, timeZone)) / DAY);
	return Math.max(0, day(to.getTime()) - day(from.getTime()));
}

/**
 * The moment at `hour`:00 in the time zone, `days` calendar days before `now` there: the inverse of
 * `wholeDays` (wholeDays(result, now, timeZone) === days), for dates people read as "n days ago".
 */
export function calendarDaysBefore(now: Date, days: number, hour: number, timeZone = 'UTC'): Date {
	const today = Math.floor((now.getTime() + offsetAt(now.getTime(), timeZone)) / DAY);
	const wall = (today - days) * DAY + hour * 3_600_000; // that wall-clock time, written as if it were UTC
	const guess = wall - offsetAt(wall, timeZone);
	return new Date(wall - offsetAt(guess, timeZone)); // the offset at the moment itself (differs near a clock change)
}

export interface OrderRow {
	currency: string;
	taxes_included: boolean;
	shipping_amount: number;
	shipping_tax_amount: number;
	total_amount: number;
	ordered_at: Date;
	delivered_at: Date | null;
	ship_country: string;
}

export interface OrderLineRow {
	id: string;
	/** Lines of one product in several sizes or colours make a bracket (the risk score reads it). */
	product_id?: string | null;
	sku: string | null;
	quantity: number;
	unit_price_amount: number;
	discount_amount: number;
	vat_amount: number;
	total_amount: number;
	category: string | null;
	tags: string[] | null;
	final_sale: boolean | null;
}

export interface CustomerHistory {
	/** Returns the customer asked for before this one (cancelled ones left out). */
	returns: number;
	returnedUnits: number;
	orderedUnits: number;
	/** Of those returns, the ones asked for in the last 30 and 365 days (return limits). */
	returnsLast30Days?: number;
	returnsLast365Days?: number;
}

export interface LineRequest {
	orderLineId: string;
	quantity: number;
	reasonCode: string | null;
	itemCondition?: ItemCondition | null;
}

/** What the customer paid for the whole line: after its discount, VAT included. */
export const linePaid = (line: OrderLineRow, taxesIncluded: boolean) =>
	Number(line.total_amount) + (taxesIncluded ? 0 : Number(line.vat_amount));

/** The standard outbound delivery the customer paid, VAT included. */
export const outboundPaid = (order: OrderRow) =>
	Number(order.shipping_amount) + (order.taxes_included ? 0 : Number(order.shipping_tax_amount));

/** One line's facts and quote input, as of `at`. */
export function lineFacts(input: {
	order: OrderRow;
	line: OrderLineRow;
	request: LineRequest;
	/** Units of this line already in returns that hold them. */
	alreadyReturned: number;
	/** What the earlier returns that hold units of the line for money (not a fix) were quoted for them. */
	quoted?: { units: number; amount: number };
	history: CustomerHistory;
	at: Date;
	isWithdrawal: boolean;
	wholeOrder: boolean;
	riskScore?: number | null;
	/** The line is on the shop's block / allow list (its product, or the order, email or address). */
	listed?: { blocklisted: boolean; allowlisted: boolean };
	/** The shop's, where days are counted. */
	timeZone?: string;
}): { facts: DecideInput; quote: QuoteLineInput } {
	const { order, line, request: r, history, at, alreadyReturned, timeZone } = input;
	const rate = history.orderedUnits > 0 ? Math.round((history.returnedUnits * 10_000) / history.orderedUnits) : 0;
	return {
		facts: {
			currency: order.currency.trim(),
			// A return asked for before the recorded delivery counts as not delivered yet.
			daysSinceDelivery: order.delivered_at && order.delivered_at <= at ? wholeDays(order.delivered_at, at, timeZone) : null,
			daysSinceOrder: wholeDays(order.ordered_at, at, timeZone),
			category: line.category,
			tags: line.tags ?? [],
			sku: line.sku,
			unitPrice: Number(line.unit_price_amount),
			finalSale: line.final_sale ?? false,
			discounted: Number(line.discount_amount) > 0,
			reason: r.reasonCode,
			itemCondition: r.itemCondition ?? null,
			country: order.ship_country,
			customerReturnCount: history.returns,
			customerReturnRateBasisPoints: Math.min(10_000, rate),
			orderValue: Number(order.total_amount),
			riskScore: input.riskScore ?? null,
			customerReturnsLast30Days: history.returnsLast30Days ?? 0,
			customerReturnsLast365Days: history.returnsLast365Days ?? 0,
			blocklisted: input.listed?.blocklisted ?? false,
			allowlisted: input.listed?.allowlisted ?? false,
			quantityRequested: r.quantity,
			quantityLeft: line.quantity - alreadyReturned,
			isWithdrawal: input.isWithdrawal,
			wholeOrder: input.wholeOrder
		},
		quote: {
			orderLineId: line.id,
			quantity: r.quantity,
			orderedQuantity: line.quantity,
			alreadyReturned: input.quoted?.units ?? alreadyReturned,
			alreadyQuoted: input.quoted?.amount,
			paidAmount: linePaid(line, order.taxes_included)
		}
	};
}

/** Every requested line of one order, as of `at`. */
export function buildFacts(input: {
	order: OrderRow;
	lines: OrderLineRow[];
	requests: LineRequest[];
	/** Units of each line already in returns that hold them (this one excluded). */
	returned: Map<string, number>;
	/** An earlier return of the order that still holds its units refunded the outbound delivery. */
	shippingRefunded?: boolean;
	/** Per line, what earlier quoted returns were quoted (absent when one of them has no stored quote). */
	quoted?: Map<string, { units: number; amount: number }>;
	history: CustomerHistory;
	at: Date;
	isWithdrawal: boolean;
	riskScore?: number | null;
	/** Per order line: on the shop's block / allow list. */
	listed?: Map<string, { blocklisted: boolean; allowlisted: boolean }>;
	timeZone?: string;
}): { facts: DecideInput; quote: QuoteLineInput }[] {
	const byId = new Map(input.lines.map((l) => [l.id, l]));
	const requested = new Map(input.requests.map((r) => [r.orderLineId, r.quantity]));
	// The whole order: with this return every unit is back, in it or in earlier ones, and no earlier return has
	// refunded the outbound delivery yet. A withdrawal in two parcels still gets the delivery back, once.
	const wholeOrder =
		!input.shippingRefunded &&
		input.lines.every((l) => (input.returned.get(l.id) ?? 0) + (requested.get(l.id) ?? 0) === l.quantity);
	return input.requests.map((request) => {
		const line = byId.get(request.orderLineId);
		if (!line) throw new Error(`order line ${request.orderLineId} is not part of the order`);
		return lineFacts({
			...input,
			line,
			request,
			alreadyReturned: input.returned.get(line.id) ?? 0,
			quoted: input.quoted?.get(line.id),
			listed: input.listed?.get(line.id),
			wholeOrder
		});
	});
}
