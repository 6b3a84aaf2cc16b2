import { m } from '$lib/paraglide/messages';
import type { InspectionErrorCode } from '$lib/server/inspection/service';

/** What the form sent for one line, given back when it is refused (a page without JavaScript shows it again). */
export interface LineValues {
	condition: string;
	disposition: string;
	note: string;
	restock: string;
}

/** The form's field a service field names: `lines[1].photos[0]` → photos. */
export type LineField = 'line' | 'condition' | 'disposition' | 'restock' | 'note' | 'photos';

const TEXT: Partial<Record<InspectionErrorCode, () => string>> = {
	return_not_found: m.warehouse_error_return_gone,
	return_closed: m.warehouse_error_closed,
	no_parcel_expected: m.warehouse_error_no_parcel,
	no_lines: m.warehouse_error_missing_line,
	missing_line: m.warehouse_error_missing_line,
	unknown_line: m.warehouse_error_line,
	duplicate_line: m.warehouse_error_line,
	already_inspected: m.warehouse_error_already_inspected,
	invalid_condition: m.warehouse_error_condition,
	disposition_required: m.warehouse_error_disposition_required,
	disposition_not_allowed: m.warehouse_error_disposition_not_allowed,
	invalid_disposition: m.warehouse_error_disposition_required,
	restock_not_allowed: m.warehouse_error_restock_wrong_item,
	invalid_restock_quantity: m.warehouse_error_restock_quantity,
	note_too_long: m.warehouse_error_note,
	too_many_photos: m.warehouse_error_photos,
	invalid_photo: m.warehouse_error_photo
};

export const inspectionErrorText = (code: InspectionErrorCode): string => (TEXT[code] ?? m.warehouse_error_form)();

const KEYS: Record<string, LineField> = { condition: 'condition', disposition: 'disposition', restockQuantity: 'restock', note: 'note', photos: 'photos' };

/**
 * The service's issues in the staff's language, each beside the field of its line (`lines[i]` is the i-th line
 * sent); those about the whole inspection apart.
 */
export function issuesByLine(
	issues: readonly { code: InspectionErrorCode; field: string }[],
	sent: readonly { returnLineId: string }[]
): { general: string[]; lines: Record<string, Partial<Record<LineField, string>>> } {
	const general: string[] = [];
	const lines: Record<string, Partial<Record<LineField, string>>> = {};
	for (const issue of issues) {
		const match = /^lines\[(\d+)\](?:\.(\w+))?/.exec(issue.field);
		const lineId = match ? sent[Number(match[1])]?.returnLineId : undefined;
		const text = inspectionErrorText(issue.code);
		if (!match || !lineId) {
			if (!general.includes(text)) general.push(text);
			continue;
		}
		const key = KEYS[match[2] ?? ''] ?? 'line';
		(lines[lineId] ??= {})[key] ??= text;
	}
	return { general, lines };
}
