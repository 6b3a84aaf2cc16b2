import type { TransactionSql } from '../db';
import type { Actor } from './events';
import { checkTransition, type ResolutionStatus } from './lifecycle';
import { resolveLine } from './service';

/**
 * Moves the lines a refund or credit pays for to `to` (refunded, credited, failed, or back to pending on a
 * retry), through the resolution table: a line already final, or for another resolution (an exchange), stays.
 */
export async function settleReturnLines(
	tx: TransactionSql,
	shopId: string,
	returnId: string,
	to: ResolutionStatus,
	actor: Actor,
	payload: Record<string, unknown> = {},
	requested: readonly string[] = ['refund', 'keep', 'store_credit']
): Promise<number> {
	const lines = await tx<{ id: string; resolution_status: ResolutionStatus; requested_resolution: string | null }[]>`
		select id, resolution_status, requested_resolution from return_lines where return_id = ${returnId} order by created_at, id`;
	let moved = 0;
	for (const line of lines) {
		if (line.requested_resolution && !requested.includes(line.requested_resolution)) continue;
		if (line.resolution_status === to || !checkTransition('resolution', line.resolution_status, to).ok) continue;
		await resolveLine(tx, { shopId, returnLineId: line.id, to, payload }, actor);
		moved++;
	}
	return moved;
}
