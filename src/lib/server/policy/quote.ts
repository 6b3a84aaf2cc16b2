/**
 * The quote of a return: what the customer gets back, computed by the same code that later pays it
 * (STYLE.md rule 6). Pure: amounts in, amounts out, integer minor units only.
 *
 *   total = Σ lines' amounts − Σ fees + bonus
 *
 * A line's amount is its share of what was paid for the order line (after its allocated discount, VAT
 * included), for the units returned. Shares are allocated so that returning an order line's units in
 * several returns adds up to exactly what was paid for it, never a cent more.
 */

export interface QuoteLineInput {
	orderLineId: string;
	/** Units returned now. */
	quantity: number;
	/** Units on the order line. */
	orderedQuantity: number;
	/** Units of this line already quoted in earlier returns that still hold them. */
	alreadyReturned: number;
	/** What was paid for the whole order line: quantity × unit price − allocated discount (VAT included). */
	paidAmount: number;
	/**
	 * What the earlier returns still holding `alreadyReturned` units were quoted for them. When given, the
	 * amount is the cumulative share less it: after a return in between is cancelled, the line still adds up
	 * to exactly what was paid, never a cent more or less.
	 */
	alreadyQuoted?: number;
}

export type FeeInput =
	| { code: string; kind: 'fixed'; amount: number }
	/** A share of the lines' amounts in basis points (1,000 = 10 %), rounded half-up. */
	| { code: string; kind: 'percent'; basisPoints: number };

export interface QuoteInput {
	currency: string;
	lines: QuoteLineInput[];
	fees?: FeeInput[];
	/** Bonus credit on top (store credit offers), in minor units. */
	bonus?: number;
	/** Outbound delivery refunded with the goods (EU withdrawal of a whole order), in minor units. */
	shippingRefund?: number;
}

export interface Quote {
	currency: string;
	lines: { orderLineId: string; quantity: number; amount: number }[];
	fees: { code: string; amount: number }[];
	bonus: number;
	shipping: number;
	total: number;
}

export class QuoteError extends Error {
	constructor(
		readonly code: 'invalid_quantity' | 'quantity_exceeded' | 'invalid_amount' | 'invalid_fee',
		message: string,
		readonly field: string
	) {
		super(message);
		this.name = 'QuoteError';
	}
}

/** round(a × b / c) half-up, exactly, for non-negative integers (BigInt: no float on the way). */
export function mulDivHalfUp(a: number, b: number, c: number): number {
	const n = BigInt(a) * BigInt(b);
	const d = BigInt(c);
	return Number((2n * n + d) / (2n * d));
}

/**
 * The amount for `quantity` units after `alreadyReturned` units of a line that cost `paid` for `ordered`
 * units: the difference of two cumulative shares, so every split of the line sums to `paid` exactly.
 */
export function lineShare(paid: number, ordered: number, alreadyReturned: number, quantity: number): number {
	return mulDivHalfUp(paid, alreadyReturned + quantity, ordered) - mulDivHalfUp(paid, alreadyReturned, ordered);
}

const isAmount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

export function computeQuote(input: QuoteInput): Quote {
	const lines = input.lines.map((l, i) => {
		if (!Number.isInteger(l.quantity) || l.quantity < 1) {
			throw new QuoteError('invalid_quantity', 'Quantity must be a whole number of at least 1', `lines[${i}].quantity`);
		}
		if (!Number.isInteger(l.orderedQuantity) || l.orderedQuantity < 1 || !Number.isInteger(l.alreadyReturned) || l.alreadyReturned < 0) {
			throw new QuoteError('invalid_quantity', 'Ordered and returned quantities must be whole numbers', `lines[${i}]`);
		}
		if (l.alreadyReturned + l.quantity > l.orderedQuantity) {
			throw new QuoteError(
				'quantity_exceeded',
				`Only ${l.orderedQuantity - l.alreadyReturned} of ${l.orderedQuantity} can still be returned`,
				`lines[${i}].quantity`
			);
		}
		if (!isAmount(l.paidAmount)) throw new QuoteError('invalid_amount', 'The paid amount must be a whole number of minor units', `lines[${i}].paidAmount`);
		if (l.alreadyQuoted !== undefined) {
			if (!isAmount(l.alreadyQuoted)) throw new QuoteError('invalid_amount', 'The amount already quoted must be a whole number of minor units', `lines[${i}].alreadyQuoted`);
			const cumulative = mulDivHalfUp(l.paidAmount, l.alreadyReturned + l.quantity, l.orderedQuantity);
			const amount = Math.min(Math.max(cumulative - l.alreadyQuoted, 0), Math.max(l.paidAmount - l.alreadyQuoted, 0));
			return { orderLineId: l.orderLineId, quantity: l.quantity, amount };
		}
		return { orderLineId: l.orderLineId, quantity: l.quantity, amount: lineShare(l.paidAmount, l.orderedQuantity, l.alreadyReturned, l.quantity) };
	});
	const goods = lines.reduce((s, l) => s + l.amount, 0);
	const shipping = input.shippingRefund ?? 0;
	if (!isAmount(shipping)) throw new QuoteError('invalid_amount', 'The shipping refund must be a whole number of minor units', 'shippingRefund');
	const bonus = input.bonus ?? 0;
	if (!isAmount(bonus)) throw new QuoteError('invalid_amount', 'The bonus must be a whole number of minor units', 'bonus');

	// Fees never take more than the goods: a return never costs the customer money.
	let left = goods;
	const fees = (input.fees ?? []).map((f, i) => {
		let amount: number;
		if (f.kind === 'fixed') {
			if (!isAmount(f.amount)) throw new QuoteError('invalid_fee', 'A fee must be a whole number of minor units', `fees[${i}].amount`);
			amount = f.amount;
		} else {
			if (!Number.isInteger(f.basisPoints) || f.basisPoints < 0 || f.basisPoints > 10_000) {
				throw new QuoteError('invalid_fee', 'A percentage fee must be between 0 and 100 %', `fees[${i}].basisPoints`);
			}
			amount = mulDivHalfUp(goods, f.basisPoints, 10_000);
		}
		amount = Math.min(amount, left);
		left -= amount;
		return { code: f.code, amount };
	});
	const feeTotal = fees.reduce((s, f) => s + f.amount, 0);
	return { currency: input.currency, lines, fees, bonus, shipping, total: goods - feeTotal + bonus + shipping };
}
