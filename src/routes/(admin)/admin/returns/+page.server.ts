import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { RISK_THRESHOLDS } from '$lib/server/risk/score';
import { ASSIGNED_FILTERS, listQueue, QUEUE_REASONS, QUEUE_STATUSES, queueFiltersFrom } from '$lib/server/staff/queue';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const { user, shop } = requireRole(locals, ['owner', 'admin', 'staff'], url);
	const { page, ...filters } = queueFiltersFrom(url.searchParams);
	const queue = await listQueue(db(), shop.id, filters, user.id);
	return {
		...queue,
		page,
		pageCount: Math.max(1, Math.ceil(queue.total / queue.limit)),
		filters: { reason: filters.reason, status: filters.status, assigned: filters.assigned, minScore: filters.minScore, text: filters.text },
		options: { reasons: [...QUEUE_REASONS], statuses: [...QUEUE_STATUSES, 'accepted' as const], assigned: [...ASSIGNED_FILTERS], scores: [RISK_THRESHOLDS.hold, RISK_THRESHOLDS.review] },
		now: new Date(),
		timeZone: shop.timezone
	};
};
