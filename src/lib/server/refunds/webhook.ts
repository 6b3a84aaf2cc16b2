import type Stripe from 'stripe';
import type { Sql } from '../db';
import { inTransaction } from '../db/transaction';
import { log } from '../log';
import { recordStripeRefund } from './service';
import { completeExchangePayment } from '../exchanges/service';

export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

const STRIPE: { kind: 'system'; id: string } = { kind: 'system', id: 'stripe' };

/**
 * Applies a verified Stripe event once: its id is recorded in the same transaction as the change, so the same
 * event delivered again (Stripe retries until it gets a 2xx) changes nothing. Refund events update the refund
 * row they carry in their metadata (or by Stripe's refund id); others are acknowledged and ignored.
 */
export async function applyStripeEvent(sql: Sql, event: Stripe.Event): Promise<WebhookOutcome> {
	return inTransaction(sql, async (tx) => {
		const [fresh] = await tx<{ id: string }[]>`
			insert into stripe_events (id, type) values (${event.id}, ${event.type}) on conflict (id) do nothing returning id`;
		if (!fresh) return 'duplicate';
		switch (event.type) {
			case 'refund.created':
			case 'refund.updated':
			case 'refund.failed': {
				await recordStripeRefund(tx, event.data.object as Stripe.Refund, STRIPE);
				return 'applied';
			}
			case 'charge.refunded': {
				const charge = event.data.object as Stripe.Charge;
				for (const refund of charge.refunds?.data ?? []) await recordStripeRefund(tx, refund, STRIPE);
				return 'applied';
			}
			case 'checkout.session.completed':
			case 'checkout.session.async_payment_succeeded': {
				const done = await completeExchangePayment(tx, event.data.object as Stripe.Checkout.Session);
				return done ? 'applied' : 'ignored';
			}
			default:
				log.debug({ type: event.type, id: event.id }, 'Stripe event ignored');
				return 'ignored';
		}
	});
}
