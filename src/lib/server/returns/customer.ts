import type { Queryable } from '../db';
import { inTransaction } from '../db/transaction';
import { customerCanCancel, type DecisionStatus, type ReceptionStatus } from './lifecycle';
import { ReturnError, transitionReturn, type ReturnRecord } from './service';

/**
 * The customer cancels their own return from the return link, until the parcel ships. Checked and done
 * under the return's row lock, so a parcel scanned at the same moment wins.
 */
export async function cancelReturnForCustomer(sql: Queryable, input: { shopId: string; orderId: string; returnId: string }): Promise<ReturnRecord> {
	if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.returnId)) {
		throw new ReturnError('return_not_found', 'This return does not exist', 'returnId');
	}
	return inTransaction(sql, async (tx) => {
		const [row] = await tx<{ decision_status: DecisionStatus; reception_status: ReceptionStatus; customer_id: string }[]>`
			select decision_status, reception_status, customer_id from returns
			where shop_id = ${input.shopId} and order_id = ${input.orderId} and id = ${input.returnId} for update`;
		if (!row) throw new ReturnError('return_not_found', 'This return does not exist', 'returnId');
		if (!customerCanCancel(row.decision_status, row.reception_status)) {
			throw new ReturnError('invalid_transition', 'This return can no longer be cancelled: its parcel is on its way or it is closed', 'returnId');
		}
		const [paid] = await tx`
			select 1 from refunds where return_id = ${input.returnId} and status in ('pending', 'succeeded')
			union all select 1 from credit_codes where return_id = ${input.returnId}
			union all select 1 from exchanges where return_id = ${input.returnId} and status in ('ordered', 'shipped')`;
		if (paid) {
			throw new ReturnError('invalid_transition', 'This return can no longer be cancelled here: its refund, credit or replacement has already been issued. Contact the shop.', 'returnId');
		}
		return transitionReturn(
			tx,
			{ shopId: input.shopId, returnId: input.returnId, machine: 'decision', to: 'cancelled', reason: 'Cancelled by the customer from the return link' },
			{ kind: 'customer', id: row.customer_id }
		);
	});
}
