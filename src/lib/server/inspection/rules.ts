/**
 * What the warehouse may record about a returned parcel, and what a finding means for the refund. Pure: the
 * service gives it the return's lines and the staff member's answers, and writes what it decides.
 */

export const CONDITIONS = ['new', 'opened', 'used', 'damaged', 'wrong_item', 'missing'] as const;
export type Condition = (typeof CONDITIONS)[number];

export const DISPOSITIONS = ['restock', 'refurbish', 'donate', 'discard'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** The customer told us of the damage: finding it in the parcel confirms their claim, it does not contradict it. */
export const DAMAGE_REASONS: readonly string[] = ['arrived_damaged', 'defective', 'missing_parts'];

export const MAX_NOTE_LENGTH = 2000;
export const MAX_PHOTOS_PER_LINE = 5;

/**
 * Whether a finding holds the refund for a person: another item than the one bought, nothing in the box and worn
 * goods always do; damage does unless the customer reported it. A new or opened item passes.
 */
export function stopsRefund(condition: Condition, reasonCode: string): boolean {
	switch (condition) {
		case 'new':
		case 'opened':
			return false;
		case 'damaged':
			return !DAMAGE_REASONS.includes(reasonCode);
		case 'used':
		case 'wrong_item':
		case 'missing':
			return true;
	}
}

/** One line of the return as the database knows it, in the order's line order. */
export interface ReturnLineFacts {
	id: string;
	quantity: number;
	reasonCode: string;
	/** Already has an inspection row. */
	inspected: boolean;
}

/** One line as the staff member answered it (strings straight from a form are fine: they are checked here). */
export interface InspectionLineInput {
	returnLineId: string;
	condition: string;
	disposition?: string | null;
	note?: string | null;
	/** Units to put back on sale; the whole returned quantity when left out. Only with `restock`. */
	restockQuantity?: number | null;
	/** How many photos come with the line (their bytes are checked by the service). */
	photoCount?: number;
}

export interface CheckedLine {
	returnLineId: string;
	/** 1-based, in the order the lines are given: "line 2" to staff. */
	position: number;
	quantity: number;
	reasonCode: string;
	condition: Condition;
	disposition: Disposition | null;
	note: string | null;
	/** Units to put back on sale (0 unless the disposition is restock). */
	restockQuantity: number;
	stopsRefund: boolean;
}

export type InspectionIssueCode =
	| 'no_lines'
	| 'missing_line'
	| 'unknown_line'
	| 'duplicate_line'
	| 'already_inspected'
	| 'invalid_condition'
	| 'disposition_required'
	| 'disposition_not_allowed'
	| 'invalid_disposition'
	| 'restock_not_allowed'
	| 'invalid_restock_quantity'
	| 'note_too_long'
	| 'too_many_photos';

/** What is wrong and which input field it concerns (`lines[1].disposition`: the second line of the input). */
export interface InspectionIssue {
	code: InspectionIssueCode;
	field: string;
	message: string;
}

const isCondition = (v: string): v is Condition => (CONDITIONS as readonly string[]).includes(v);
const isDisposition = (v: string): v is Disposition => (DISPOSITIONS as readonly string[]).includes(v);

/**
 * Checks a whole inspection: every line of the return exactly once and none inspected before, a condition for
 * each, a disposition unless nothing came back (and none then), and a restock only of goods that are this
 * line's and only as many as came back. Answers every issue, so a form can mark each field.
 */
export function validateInspection(
	input: readonly InspectionLineInput[],
	returnLines: readonly ReturnLineFacts[]
): { ok: true; lines: CheckedLine[] } | { ok: false; issues: InspectionIssue[] } {
	const issues: InspectionIssue[] = [];
	const issue = (code: InspectionIssueCode, field: string, message: string) => issues.push({ code, field, message });
	if (input.length === 0) {
		return { ok: false, issues: [{ code: 'no_lines', field: 'lines', message: 'Record what came back for each line of the return' }] };
	}
	const byId = new Map(returnLines.map((l, i) => [l.id, { ...l, position: i + 1 }]));
	const seen = new Set<string>();
	const lines: CheckedLine[] = [];

	input.forEach((line, i) => {
		const at = `lines[${i}]`;
		const facts = byId.get(line.returnLineId);
		if (!facts) return issue('unknown_line', `${at}.returnLineId`, 'This line is not part of the return');
		if (seen.has(line.returnLineId)) return issue('duplicate_line', `${at}.returnLineId`, `Line ${facts.position} appears twice`);
		seen.add(line.returnLineId);
		if (facts.inspected) return issue('already_inspected', at, `Line ${facts.position} was already inspected: its findings stand`);

		const condition = String(line.condition ?? '').trim();
		const disposition = line.disposition == null ? '' : String(line.disposition).trim();
		const note = line.note?.trim() || null;
		if (!isCondition(condition)) {
			issue('invalid_condition', `${at}.condition`, condition ? `"${condition}" is not a condition (${CONDITIONS.join(', ')})` : 'Choose the condition the item arrived in');
		}
		if (condition === 'missing') {
			if (disposition) issue('disposition_not_allowed', `${at}.disposition`, 'Nothing came back for this line: leave what becomes of it empty');
		} else if (!disposition) {
			issue('disposition_required', `${at}.disposition`, 'Choose what becomes of the item: restock, refurbish, donate or discard');
		} else if (!isDisposition(disposition)) {
			issue('invalid_disposition', `${at}.disposition`, `"${disposition}" is not a disposition (${DISPOSITIONS.join(', ')})`);
		} else if (disposition === 'restock' && condition === 'wrong_item') {
			issue('restock_not_allowed', `${at}.disposition`, 'Another item came back than the one bought: it cannot go back on sale as this one');
		}
		let restockQuantity = 0;
		if (disposition === 'restock' && condition !== 'missing') {
			const asked = line.restockQuantity ?? facts.quantity;
			if (!Number.isInteger(asked) || asked < 1 || asked > facts.quantity) {
				issue('invalid_restock_quantity', `${at}.restockQuantity`, `Restock a whole number from 1 to ${facts.quantity}, the units returned on this line`);
			} else restockQuantity = asked;
		} else if (line.restockQuantity != null && line.restockQuantity !== 0) {
			issue('invalid_restock_quantity', `${at}.restockQuantity`, 'Only goods put back on sale (restock) have a quantity to restock');
		}
		if (note && note.length > MAX_NOTE_LENGTH) issue('note_too_long', `${at}.note`, `The note is ${note.length} characters; the limit is ${MAX_NOTE_LENGTH}`);
		if ((line.photoCount ?? 0) > MAX_PHOTOS_PER_LINE) issue('too_many_photos', `${at}.photos`, `At most ${MAX_PHOTOS_PER_LINE} photos per line`);

		if (isCondition(condition)) {
			lines.push({
				returnLineId: facts.id,
				position: facts.position,
				quantity: facts.quantity,
				reasonCode: facts.reasonCode,
				condition,
				disposition: condition === 'missing' || !isDisposition(disposition) ? null : disposition,
				note,
				restockQuantity,
				stopsRefund: stopsRefund(condition, facts.reasonCode)
			});
		}
	});

	// Only lines not yet inspected need an answer; those already inspected are refused above when sent again.
	for (const [id, facts] of byId) {
		if (!seen.has(id) && !facts.inspected) {
			issue('missing_line', 'lines', `Line ${facts.position} has no finding: a parcel is inspected whole (mark it missing if it is not in the box)`);
		}
	}
	return issues.length ? { ok: false, issues } : { ok: true, lines: lines.sort((a, b) => a.position - b.position) };
}

/** Staff's words for a finding: factual, for the history and the on-hold reason (never shown to the customer). */
const FINDING_WORDS: Record<Condition, (reported: boolean) => string> = {
	new: () => 'new',
	opened: () => 'opened',
	used: () => 'used (worn)',
	damaged: (reported) => (reported ? 'damaged, as the customer reported' : 'damaged, not reported by the customer'),
	wrong_item: () => 'wrong item',
	missing: () => 'missing from the parcel'
};

export interface Findings {
	/** At least one line holds the refund for a person. */
	stopsRefund: boolean;
	/** Every line came back as another item. */
	allWrongItem: boolean;
	/** Units put back on sale, asked for (the service reports what it could actually add). */
	restockQuantity: number;
	/** "Inspection: line 2 wrong item; line 3 missing from the parcel": the on-hold reason, null when nothing stops. */
	holdReason: string | null;
	/** Every line's finding, for the event and the history. */
	summary: string;
	lines: { returnLineId: string; line: number; condition: Condition; disposition: Disposition | null; stopsRefund: boolean; restockQuantity: number }[];
}

export function summarizeFindings(lines: readonly CheckedLine[]): Findings {
	const words = (l: CheckedLine) => `line ${l.position} ${FINDING_WORDS[l.condition](DAMAGE_REASONS.includes(l.reasonCode))}`;
	const stopping = lines.filter((l) => l.stopsRefund);
	return {
		stopsRefund: stopping.length > 0,
		allWrongItem: lines.length > 0 && lines.every((l) => l.condition === 'wrong_item'),
		restockQuantity: lines.reduce((n, l) => n + l.restockQuantity, 0),
		holdReason: stopping.length ? `Inspection: ${stopping.map(words).join('; ')}. A person decides the refund.` : null,
		summary: `Inspection: ${lines.map(words).join('; ')}.`,
		lines: lines.map((l) => ({
			returnLineId: l.returnLineId,
			line: l.position,
			condition: l.condition,
			disposition: l.disposition,
			stopsRefund: l.stopsRefund,
			restockQuantity: l.restockQuantity
		}))
	};
}
