import { m } from '$lib/paraglide/messages';

/** How each kind of entry is named on the page. */
export function kindLabel(kind: string): string {
	switch (kind) {
		case 'email':
			return m.risk_lists_kind_email();
		case 'address':
			return m.risk_lists_kind_address();
		case 'order':
			return m.risk_lists_kind_order();
		default:
			return m.risk_lists_kind_product();
	}
}
