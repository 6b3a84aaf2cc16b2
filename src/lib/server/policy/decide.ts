import { explain } from './explain';
import { applyLegalFloor, type Floored } from './legal-floor';
import { computeQuote, mulDivHalfUp, type FeeInput, type Quote, type QuoteLineInput } from './quote';
import { resolveOutputs, type Eligibility, type LineFacts, type Policy, type Resolution } from './rules';
import { validate, type Verdict } from './validators';

/**
 * The policy engine's one pure decision for a return line: rules over defaults, then the validators,
 * then the legal floor, with its explanation. The service that every path creating or changing a return
 * calls (the conversation, the API, staff) wraps this with the facts it reads from the database.
 */
export interface LineDecision extends Floored {
	matchedRules: string[];
	explanation: { en: string; fr: string };
}

export interface DecideInput extends LineFacts {
	quantityRequested: number;
	quantityLeft: number;
	isWithdrawal: boolean;
	wholeOrder: boolean;
}

export function decideLine(policy: Policy, input: DecideInput): LineDecision {
	const resolved = resolveOutputs(policy, input);
	const validated = validate(input, resolved.outputs);
	const floored = applyLegalFloor(
		{ eligibility: validated.eligibility, outputs: resolved.outputs, verdicts: validated.verdicts },
		{ country: input.country, daysSinceDelivery: input.daysSinceDelivery, isWithdrawal: input.isWithdrawal, wholeOrder: input.wholeOrder }
	);
	return {
		...floored,
		matchedRules: resolved.matchedRules,
		explanation: {
			en: explain(floored.eligibility, floored.verdicts, 'en'),
			fr: explain(floored.eligibility, floored.verdicts, 'fr')
		}
	};
}

export interface QuoteRequest {
	currency: string;
	resolution: Resolution;
	lines: (QuoteLineInput & { decision: LineDecision })[];
	/** Standard outbound delivery paid on the order, refunded on a withdrawal of the whole order. */
	outboundShipping: number;
	/**
	 * Deductions found at inspection: the diminished value of goods handled beyond what was needed to try
	 * them. The law allows it even on a withdrawal, where no restocking fee is.
	 */
	deductions?: { code: 'diminished_value'; amount: number }[];
	/** The customer keeps the item: no parcel, so no return shipping fee. */
	keepItem?: boolean;
}

/**
 * The quote for the chosen resolution, from the lines' decisions: restocking fee (waived for exchanges when
 * the shop says so), return shipping fee, bonus credit on store credit, outbound delivery under the floor.
 * A line that is not eligible cannot be quoted.
 */
export function quoteReturn(request: QuoteRequest): Quote {
	request.lines.forEach((l, i) => {
		if (l.decision.eligibility === 'not_eligible') {
			throw new PolicyRefusal('not_eligible', l.decision.explanation.en, `lines[${i}]`);
		}
		if (!l.decision.outputs.resolutions.includes(request.resolution)) {
			throw new PolicyRefusal('resolution_not_offered', `"${request.resolution}" is not offered for this item`, `lines[${i}]`);
		}
	});
	// A fix settles the problem where it is: nothing goes back, nothing is paid or charged.
	if (request.resolution === 'fix') {
		return {
			currency: request.currency,
			lines: request.lines.map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity, amount: 0 })),
			fees: [],
			bonus: 0,
			shipping: 0,
			total: 0
		};
	}
	// Percentages are each line's own, on that line's amount; the parcel's fixed fee is the highest of its lines'.
	const outputs = request.lines.map((l) => l.decision.outputs);
	const exchange = request.resolution === 'exchange_variant' || request.resolution === 'exchange_product';
	const waived = exchange && outputs.every((o) => o.waiveFeesForExchange);
	const base = computeQuote({ currency: request.currency, lines: request.lines });
	const perLine = (bp: (o: (typeof outputs)[number]) => number) =>
		base.lines.reduce((sum, l, i) => sum + mulDivHalfUp(l.amount, bp(outputs[i]), 10_000), 0);
	const restocking = perLine((o) => o.restockingFeeBasisPoints);
	// No parcel, no return shipping: the customer keeps the item.
	const shippingFee = request.keepItem ? 0 : Math.max(0, ...outputs.map((o) => o.returnShippingFee));
	const fees: FeeInput[] = [
		...(waived
			? []
			: [
					...(restocking > 0 ? [{ code: 'restocking', kind: 'fixed' as const, amount: restocking }] : []),
					...(shippingFee > 0 ? [{ code: 'return_shipping', kind: 'fixed' as const, amount: shippingFee }] : [])
				]),
		...(request.deductions ?? []).filter((d) => d.amount > 0).map((d) => ({ code: d.code, kind: 'fixed' as const, amount: d.amount }))
	];
	const quote = computeQuote({
		currency: request.currency,
		lines: request.lines,
		fees,
		shippingRefund: request.lines.every((l) => l.decision.floor?.refundOutboundShipping) ? request.outboundShipping : 0
	});
	if (request.resolution !== 'store_credit') return quote;
	const bonus = perLine((o) => o.bonusCreditBasisPoints);
	return { ...quote, bonus, total: quote.total + bonus };
}

export class PolicyRefusal extends Error {
	constructor(
		readonly code: 'not_eligible' | 'resolution_not_offered' | 'keep_not_allowed' | 'quote_mismatch',
		message: string,
		readonly field: string
	) {
		super(message);
		this.name = 'PolicyRefusal';
	}
}

export type { Eligibility, Verdict };
