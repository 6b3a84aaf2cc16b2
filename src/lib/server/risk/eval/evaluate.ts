import { RISK_THRESHOLDS, scoreReturn } from '../score';
import { factsAt, historyIndex } from './facts';
import { generateHistory, WINDOW_DAYS, type SimHistory, type SimReturn } from './history';

/**
 * Scores every return of a generated history with what was known when it was made, and measures what the
 * default thresholds would do: abusive returns flagged (refund held for inspection or sent to a person),
 * honest returns sent to a person, honest refunds held.
 */

/** Seeds the scorer's weights were tuned on: an evaluation on them says nothing. */
export const TUNING_SEEDS: readonly number[] = [1, 2, 3, 4, 5];
/** The seed `npm run eval:risk` uses when none is given: never used while tuning. */
export const DEFAULT_EVAL_SEED = 20_261_128;

export interface EvalResult {
	seed: number;
	returns: number;
	abusive: number;
	honest: number;
	/** Abusive returns with a score at or above the hold threshold. */
	recall: number;
	/** Abusive returns at or above the review threshold. */
	recallReview: number;
	/** Honest returns sent to a person (score at or above the review threshold). */
	honestReview: number;
	/** Honest returns whose refund waits for inspection (hold ≤ score < review). */
	honestHeld: number;
	byBehaviour: Record<SimReturn['behaviour'], { returns: number; flagged: number }>;
	byPersona: Record<string, { returns: number; flagged: number; review: number }>;
	/** Mean time to score one return here, in ms (the facts are built in memory). */
	msPerReturn: number;
}

export function evaluateHistory(h: SimHistory): EvalResult {
	const ix = historyIndex(h);
	const persona = new Map(h.customers.map((c) => [c.id, c.persona]));
	const byBehaviour = {} as EvalResult['byBehaviour'];
	const byPersona: EvalResult['byPersona'] = {};
	let abusive = 0, honest = 0, flagged = 0, reviewed = 0, honestReview = 0, honestHeld = 0;
	let scoringMs = 0;
	for (const r of h.returns) {
		const facts = factsAt(ix, r, WINDOW_DAYS);
		const t = performance.now();
		const { score } = scoreReturn(facts);
		scoringMs += performance.now() - t;
		const isFlagged = score >= RISK_THRESHOLDS.hold;
		const isReview = score >= RISK_THRESHOLDS.review;
		const b = (byBehaviour[r.behaviour] ??= { returns: 0, flagged: 0 });
		b.returns++;
		if (isFlagged) b.flagged++;
		const p = (byPersona[persona.get(r.customerId)!] ??= { returns: 0, flagged: 0, review: 0 });
		p.returns++;
		if (isFlagged) p.flagged++;
		if (isReview) p.review++;
		if (r.abusive) {
			abusive++;
			if (isFlagged) flagged++;
			if (isReview) reviewed++;
		} else {
			honest++;
			if (isReview) honestReview++;
			else if (isFlagged) honestHeld++;
		}
	}
	return {
		seed: h.seed,
		returns: h.returns.length,
		abusive,
		honest,
		recall: abusive ? flagged / abusive : 0,
		recallReview: abusive ? reviewed / abusive : 0,
		honestReview: honest ? honestReview / honest : 0,
		honestHeld: honest ? honestHeld / honest : 0,
		byBehaviour,
		byPersona,
		msPerReturn: h.returns.length ? scoringMs / h.returns.length : 0
	};
}

export function evaluateSeed(seed: number, customers = 20_000): EvalResult {
	return evaluateHistory(generateHistory({ seed, customers }));
}
