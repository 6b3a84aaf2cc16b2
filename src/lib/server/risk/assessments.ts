import type { Queryable } from '../db';
import type { RiskFacts } from './facts';
import type { RiskAssessment, RiskLevel, Signal } from './score';

/** A return's risk score as stored when the return was made: the score, its signals, and the profile it read. */
export interface StoredAssessment {
	returnId: string;
	score: number;
	level: RiskLevel;
	signals: Signal[];
	profile: Pick<RiskFacts, 'history' | 'linked' | 'daysSinceDelivery' | 'windowDays' | 'highValue'>;
	scorer: string;
	createdAt: Date;
}

export async function saveAssessment(
	sql: Queryable,
	input: { shopId: string; returnId: string; assessment: RiskAssessment; facts: RiskFacts; scorer: string; at?: Date }
): Promise<void> {
	const { assessment: a, facts: f } = input;
	const profile = { history: f.history, linked: f.linked, daysSinceDelivery: f.daysSinceDelivery, windowDays: f.windowDays, highValue: f.highValue };
	await sql`
		insert into return_risk_assessments (return_id, shop_id, score, level, signals, profile, scorer, created_at)
		values (${input.returnId}, ${input.shopId}, ${a.score}, ${a.level}, ${sql.json(a.signals as never)}, ${sql.json(profile as never)},
			${input.scorer}, ${input.at ?? new Date()})
		on conflict (return_id) do nothing`;
}

export async function getRiskAssessment(sql: Queryable, shopId: string, returnId: string): Promise<StoredAssessment | null> {
	const [row] = await sql<{ return_id: string; score: number; level: RiskLevel; signals: Signal[]; profile: StoredAssessment['profile']; scorer: string; created_at: Date }[]>`
		select return_id, score, level, signals, profile, scorer, created_at from return_risk_assessments
		where shop_id = ${shopId} and return_id = ${returnId}`;
	if (!row) return null;
	return {
		returnId: row.return_id,
		score: row.score,
		level: row.level,
		signals: row.signals,
		profile: row.profile,
		scorer: row.scorer,
		createdAt: row.created_at
	};
}
