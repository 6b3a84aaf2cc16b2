import type { DecisionStatus } from '../returns/lifecycle';

/**
 * What a customer may still send back from each line of an order. Pure: the customer page shows it now,
 * and the conversation that starts a return will offer exactly these quantities.
 */

/** A unit stays claimed by a return unless the shop rejected it or it was cancelled. */
export const RELEASING_DECISIONS: readonly DecisionStatus[] = ['cancelled', 'rejected'];

export type NotReturnableReason = 'not_delivered' | 'final_sale' | 'already_returned';

export interface ReturnClaim {
	orderLineId: string;
	quantity: number;
	decisionStatus: DecisionStatus;
}

export interface LineReturnability {
	/** Units still in a return that counts. */
	claimed: number;
	/** Units the customer may still return (0 when `reason` is set). */
	returnable: number;
	reason: NotReturnableReason | null;
}

/** Units of each order line held by returns that still count, keyed by order line id. */
export function claimedQuantities(claims: readonly ReturnClaim[]): Map<string, number> {
	const claimed = new Map<string, number>();
	for (const c of claims) {
		if (RELEASING_DECISIONS.includes(c.decisionStatus)) continue;
		claimed.set(c.orderLineId, (claimed.get(c.orderLineId) ?? 0) + c.quantity);
	}
	return claimed;
}

export function lineReturnability(
	line: { quantity: number; finalSale: boolean },
	delivered: boolean,
	claimed: number
): LineReturnability {
	const left = Math.max(0, line.quantity - claimed);
	// Final sale outranks delivery: telling someone to wait for an item they can never return misleads.
	const reason: NotReturnableReason | null = line.finalSale
		? 'final_sale'
		: !delivered
			? 'not_delivered'
			: left === 0
				? 'already_returned'
				: null;
	return { claimed: Math.min(claimed, line.quantity), returnable: reason ? 0 : left, reason };
}

export type DeliveryStatus = 'processing' | 'shipped' | 'delivered';

export function deliveryStatus(order: { fulfilledAt: Date | string | null; deliveredAt: Date | string | null }): DeliveryStatus {
	if (order.deliveredAt) return 'delivered';
	return order.fulfilledAt ? 'shipped' : 'processing';
}

/** A return's state in the words a customer needs, from its decision and whether it is closed. */
export type CustomerReturnStatus = 'requested' | 'in_review' | 'accepted' | 'completed' | 'rejected' | 'cancelled';

export function customerReturnStatus(decision: DecisionStatus, closedAt: Date | null): CustomerReturnStatus {
	switch (decision) {
		case 'cancelled':
			return 'cancelled';
		case 'rejected':
			return 'rejected';
		case 'accepted':
			return closedAt ? 'completed' : 'accepted';
		case 'pending':
			return 'requested';
		default:
			return 'in_review';
	}
}
