import type { Queryable } from '../db';
import { DECISION_STATUSES, type DecisionStatus } from '../returns/lifecycle';
import type { RiskLevel, SignalCode } from '../risk/score';
import { rmaPrefixPatterns } from './search';

/**
 * The staff's queue: what needs a person now. A return is here for its decision (pending, needs review, on hold,
 * or waiting on the customer), and an order is here when the customer asked for a person in the conversation
 * and no return followed (an open return of that order carries the request instead), until staff mark it answered.
 * Rows read the queue index (shop, decision status, requested at) and the risk assessment by primary key; the
 * history is read for the page's rows only.
 */

export const QUEUE_REASONS = ['risk', 'policy_review', 'handoff', 'on_hold', 'info_requested'] as const;
export type QueueReason = (typeof QUEUE_REASONS)[number];

/** Decisions a person still has to make; accepted returns come only with a customer's request for a person. */
export const QUEUE_STATUSES = ['needs_review', 'pending', 'on_hold', 'info_requested'] as const satisfies readonly DecisionStatus[];

export const ASSIGNED_FILTERS = ['anyone', 'me', 'unassigned'] as const;
export type AssignedFilter = (typeof ASSIGNED_FILTERS)[number];

export const QUEUE_PAGE_SIZE = 50;

export interface QueueFilters {
	reason?: QueueReason | null;
	status?: DecisionStatus | null;
	assigned?: AssignedFilter;
	minScore?: number | null;
	/** An RMA (any case, dashes or not), the start of an order number, or part of an email. */
	text?: string;
	limit?: number;
	offset?: number;
}

export interface QueueItem {
	/** The return's id, or `order:<id>` for a customer's request with no return. */
	key: string;
	returnId: string | null;
	rma: string | null;
	orderId: string;
	orderNumber: string;
	customerEmail: string;
	decisionStatus: DecisionStatus | null;
	reason: QueueReason;
	risk: { score: number; level: RiskLevel; topSignal: SignalCode | null } | null;
	/** When the return was asked for; for an order, when the customer asked for a person. */
	requestedAt: Date;
	handoffRequestedAt: Date | null;
	/** Since the last decision change (or the request, or the customer's call for a person, whichever is later). */
	waitingSince: Date;
	assignee: { id: string; email: string } | null;
}

export interface QueuePage {
	items: QueueItem[];
	/** Rows matching every filter. */
	total: number;
	/** Rows per reason under every filter but the reason: the filter chips' numbers. */
	counts: Record<QueueReason, number>;
	limit: number;
	offset: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const oneOf = <T extends string>(list: readonly T[], value: string | null | undefined): T | null =>
	value && (list as readonly string[]).includes(value) ? (value as T) : null;

export type QueueQuery = { [K in keyof QueueFilters]-?: Exclude<QueueFilters[K], undefined> } & { page: number };

/** The queue's filters from a query string (the page's GET form): anything unknown is ignored. */
export function queueFiltersFrom(params: URLSearchParams): QueueQuery {
	const min = Number.parseInt(params.get('min') ?? '', 10);
	const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
	return {
		reason: oneOf(QUEUE_REASONS, params.get('why')),
		status: oneOf(DECISION_STATUSES, params.get('status')),
		assigned: oneOf(ASSIGNED_FILTERS, params.get('assigned')) ?? 'anyone',
		minScore: Number.isFinite(min) && min > 0 ? Math.min(min, 100) : null,
		text: (params.get('q') ?? '').trim().slice(0, 200),
		page,
		limit: QUEUE_PAGE_SIZE,
		offset: (page - 1) * QUEUE_PAGE_SIZE
	};
}

/**
 * Every row of the queue with its reason, under every filter but the reason. One reason per row, the most
 * pressing: a customer waiting for a person, then a hold, then waiting on the customer, then a high risk
 * score, else the policy's review (or a decision not made yet).
 */
function queueRows(sql: Queryable, shopId: string, filters: QueueFilters, userId: string) {
	const text = filters.text?.trim().replace(/^#/, '') ?? '';
	const escaped = text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
	const rmas = rmaPrefixPatterns(text);
	const textFilter = text
		? sql`and (${rmas.length ? sql`q.rma like any(${rmas}) or` : sql``}
				o.order_number ilike ${escaped + '%'} or o.email ilike ${'%' + escaped + '%'})`
		: sql``;
	const assigned =
		filters.assigned === 'me'
			? sql`and q.assigned_to = ${UUID.test(userId) ? userId : null}`
			: filters.assigned === 'unassigned'
				? sql`and q.assigned_to is null`
				: sql``;
	return sql`
		with handoffs as (
			select c.order_id, max(c.handoff_requested_at) as handoff_at
			from conversations c
			where c.shop_id = ${shopId} and c.handoff_requested_at is not null
				-- Answered by staff (staff/handoffs.ts), unless the customer asked again since.
				and (c.handoff_resolved_at is null or c.handoff_resolved_at < c.handoff_requested_at)
			group by c.order_id
		), queued as (
			select r.id as return_id, r.rma, r.order_id, r.decision_status, r.requested_at, r.assigned_to, h.handoff_at
			from returns r
			left join handoffs h on h.order_id = r.order_id and r.requested_at <= h.handoff_at
			where r.shop_id = ${shopId} and r.decision_status in ${sql(QUEUE_STATUSES)}
			union all
			select r.id, r.rma, r.order_id, r.decision_status, r.requested_at, r.assigned_to, h.handoff_at
			from handoffs h join returns r on r.shop_id = ${shopId} and r.order_id = h.order_id
			where r.decision_status = 'accepted' and r.closed_at is null and r.requested_at <= h.handoff_at
			union all
			-- Asked for a person and no return since, and none open: the order itself waits.
			select null, null, h.order_id, null, h.handoff_at, null, h.handoff_at
			from handoffs h
			where not exists (
				select 1 from returns r where r.shop_id = ${shopId} and r.order_id = h.order_id
					and (r.requested_at > h.handoff_at or (r.closed_at is null and r.decision_status not in ('rejected', 'cancelled'))))
		)
		select q.*, o.order_number, o.email, a.score, a.level, a.signals -> 0 ->> 'code' as top_signal,
			case
				when q.handoff_at is not null then 'handoff'
				when q.decision_status = 'on_hold' then 'on_hold'
				when q.decision_status = 'info_requested' then 'info_requested'
				when a.level = 'high' then 'risk'
				else 'policy_review'
			end as reason
		from queued q
		join orders o on o.id = q.order_id
		left join return_risk_assessments a on a.return_id = q.return_id
		where o.shop_id = ${shopId}
			${filters.status ? sql`and q.decision_status = ${filters.status}` : sql``}
			${filters.minScore ? sql`and a.score >= ${filters.minScore}` : sql``}
			${assigned}
			${textFilter}`;
}

export async function listQueue(sql: Queryable, shopId: string, filters: QueueFilters, userId: string): Promise<QueuePage> {
	const limit = Math.min(Math.max(Math.trunc(filters.limit ?? QUEUE_PAGE_SIZE), 1), 200);
	const offset = Math.max(Math.trunc(filters.offset ?? 0), 0);
	const reason = filters.reason ?? null;

	const countRows = await sql<{ reason: QueueReason; n: number }[]>`
		select reason, count(*)::int as n from (${queueRows(sql, shopId, filters, userId)}) rows group by reason`;
	const counts = Object.fromEntries(QUEUE_REASONS.map((r) => [r, 0])) as Record<QueueReason, number>;
	for (const row of countRows) counts[row.reason] = row.n;
	const total = reason ? counts[reason] : Object.values(counts).reduce((s, n) => s + n, 0);
	if (total === 0 || offset >= total) return { items: [], total, counts, limit, offset };

	// Waiting on the customer comes after what staff can act on now.
	const rows = await sql`
		select p.*, u.email as assignee_email, greatest(coalesce(e.created_at, p.requested_at), p.handoff_at) as waiting_since
		from (
			select * from (${queueRows(sql, shopId, filters, userId)}) rows
			${reason ? sql`where reason = ${reason}` : sql``}
			order by reason = 'info_requested', score desc nulls last, requested_at, rma, order_id
			limit ${limit} offset ${offset}
		) p
		left join users u on u.id = p.assigned_to
		left join lateral (
			select e.created_at from return_events e
			where e.return_id = p.return_id and e.type = 'return.decision_changed'
			order by e.id desc limit 1
		) e on true
		order by p.reason = 'info_requested', p.score desc nulls last, p.requested_at, p.rma, p.order_id`;

	return {
		items: rows.map((r) => ({
			key: (r.return_id as string | null) ?? `order:${r.order_id}`,
			returnId: (r.return_id as string | null) ?? null,
			rma: (r.rma as string | null) ?? null,
			orderId: r.order_id as string,
			orderNumber: r.order_number as string,
			customerEmail: r.email as string,
			decisionStatus: (r.decision_status as DecisionStatus | null) ?? null,
			reason: r.reason as QueueReason,
			risk:
				r.score === null
					? null
					: { score: r.score as number, level: r.level as RiskLevel, topSignal: (r.top_signal as SignalCode | null) ?? null },
			requestedAt: r.requested_at as Date,
			handoffRequestedAt: (r.handoff_at as Date | null) ?? null,
			waitingSince: r.waiting_since as Date,
			assignee: r.assigned_to ? { id: r.assigned_to as string, email: r.assignee_email as string } : null
		})),
		total,
		counts,
		limit,
		offset
	};
}
