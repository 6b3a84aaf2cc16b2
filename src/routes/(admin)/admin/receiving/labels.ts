import { m } from '$lib/paraglide/messages';

/** The warehouse's words for findings and what becomes of the goods (safe in the browser). */
export const conditionLabels: Record<string, () => string> = {
	new: m.warehouse_condition_new,
	opened: m.warehouse_condition_opened,
	used: m.warehouse_condition_used,
	damaged: m.warehouse_condition_damaged,
	wrong_item: m.warehouse_condition_wrong_item,
	missing: m.warehouse_condition_missing
};

export const dispositionLabels: Record<string, () => string> = {
	restock: m.warehouse_disposition_restock,
	refurbish: m.warehouse_disposition_refurbish,
	donate: m.warehouse_disposition_donate,
	discard: m.warehouse_disposition_discard
};

export const timingLabels: Record<string, () => string> = {
	at_approval: m.warehouse_timing_at_approval,
	at_drop_off: m.warehouse_timing_at_drop_off,
	after_inspection: m.warehouse_timing_after_inspection
};
