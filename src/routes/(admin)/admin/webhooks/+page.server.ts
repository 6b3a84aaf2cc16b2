import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireRole } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import {
	addWebhookEndpoint,
	listDeliveries,
	listWebhookEndpoints,
	replayDelivery,
	setWebhookEndpointActive,
	WEBHOOK_EVENTS,
	WebhookError
} from '$lib/server/webhooks/service';
import type { Actions, PageServerLoad } from './$types';

const ROLES = ['owner', 'admin'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async ({ locals, url }) => {
	const { shop } = requireRole(locals, ROLES, url);
	const [endpoints, deliveries] = await Promise.all([listWebhookEndpoints(db(), shop.id), listDeliveries(db(), shop.id)]);
	return { endpoints, deliveries, events: [...WEBHOOK_EVENTS], timeZone: shop.timezone };
};

export const actions: Actions = {
	add: async ({ locals, url, request }) => {
		const { shop } = requireRole(locals, ROLES, url);
		const form = await request.formData();
		const address = String(form.get('url') ?? '').trim();
		const events = form.getAll('events').map(String);
		const refuse = (field: string, error: string) => fail(400, { action: 'add' as const, url: address, events, field, error });
		if (!address || address.length > 2000) return refuse('url', m.admin_webhooks_url_invalid());
		try {
			const endpoint = await addWebhookEndpoint(db(), shop.id, { url: address, events });
			// The only time the secret leaves the database: the page shows it once, and no load returns it.
			return { action: 'add' as const, created: { id: endpoint.id, url: endpoint.url, secret: endpoint.secret } };
		} catch (e) {
			if (!(e instanceof WebhookError)) throw e;
			return e.code === 'invalid_url' ? refuse('url', m.admin_webhooks_url_invalid()) : refuse(e.field ?? 'events', e.message);
		}
	},

	setActive: async ({ locals, url, request }) => {
		const { shop } = requireRole(locals, ROLES, url);
		const form = await request.formData();
		const id = String(form.get('id') ?? '');
		const active = form.get('active') === 'true';
		try {
			const endpoint = await setWebhookEndpointActive(db(), shop.id, id, active);
			const message = active ? m.admin_webhooks_enabled({ url: endpoint.url }) : m.admin_webhooks_disabled({ url: endpoint.url });
			return { action: 'setActive' as const, target: id, success: message };
		} catch (e) {
			if (!(e instanceof WebhookError)) throw e;
			return fail(404, { action: 'setActive' as const, target: id, error: m.admin_webhooks_endpoint_gone() });
		}
	},

	replay: async ({ locals, url, request }) => {
		const { shop } = requireRole(locals, ROLES, url);
		const id = String((await request.formData()).get('id') ?? '');
		try {
			if (!UUID.test(id)) throw new WebhookError('not_found', 'This delivery does not exist');
			await replayDelivery(db(), shop.id, id);
		} catch (e) {
			if (!(e instanceof WebhookError)) throw e;
			return fail(404, { action: 'replay' as const, target: id, error: m.admin_webhooks_delivery_gone() });
		}
		return { action: 'replay' as const, target: id, success: m.admin_webhooks_replayed() };
	}
};
