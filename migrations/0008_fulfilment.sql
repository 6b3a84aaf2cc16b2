-- Accepted returns in motion: labels, refunds, store credit, exchanges, webhooks and notifications.
-- Every side effect is a row written in the transaction that calls for it, before it happens, so a crash
-- between the outside call and the commit leaves a row to reconcile rather than a payment nobody knows of.

-- When the refund is due, as the policy decided it for the return (the latest of its lines' timings).
alter table returns add column refund_timing text
	check (refund_timing in ('at_approval', 'at_drop_off', 'after_inspection'));
alter table returns add column accepted_at timestamptz;

-- One label per return: a built-in PDF, or a carrier's (Sendcloud) with its tracking.
create table return_labels (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	return_id uuid not null,
	provider text not null check (provider in ('builtin', 'sendcloud')),
	status text not null default 'pending' check (status in ('pending', 'created', 'failed', 'cancelled')),
	carrier text,
	tracking_number text,
	tracking_url text,
	external_id text, -- the carrier's id for the return (Sendcloud return id)
	pdf bytea,
	error text,
	attempts integer not null default 0 check (attempts >= 0),
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (return_id),
	unique (shop_id, id),
	foreign key (shop_id, return_id) references returns (shop_id, id) on delete cascade,
	check (status <> 'created' or pdf is not null)
);
create unique index return_labels_external_idx on return_labels (provider, external_id) where external_id is not null;

-- A refund through Stripe. Written `pending` before Stripe is called; the idempotency key and the refund's
-- metadata carry this row's id, so a refund made by a call whose result was lost is found again. An order
-- paid outside Stripe gets a `manual` refund: staff pay it their way and record it.
create table refunds (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	return_id uuid not null,
	purpose text not null default 'return' check (purpose in ('return', 'exchange_difference')),
	method text not null default 'stripe' check (method in ('stripe', 'manual')),
	amount bigint not null check (amount > 0),
	currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
	status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed', 'canceled')),
	stripe_payment_intent_id text check (stripe_payment_intent_id ~ '^pi_'),
	stripe_charge_id text check (stripe_charge_id ~ '^(ch|py)_'),
	stripe_refund_id text unique check (stripe_refund_id ~ '^(re|pyr)_'),
	stripe_status text,
	-- Bumped only when Stripe has kept an error under the previous key and no refund carries this row's id.
	key_generation integer not null default 0 check (key_generation >= 0),
	attempts integer not null default 0 check (attempts >= 0),
	failure_code text,
	failure_message text,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	settled_at timestamptz,
	unique (return_id, purpose),
	unique (shop_id, id),
	foreign key (shop_id, return_id) references returns (shop_id, id) on delete cascade,
	check (method <> 'stripe' or stripe_payment_intent_id is not null or stripe_charge_id is not null)
);
create index refunds_open_idx on refunds (status, updated_at) where status in ('pending', 'failed');

-- Stripe webhook events already applied: a delivery seen before changes nothing.
create table stripe_events (
	id text primary key check (id ~ '^evt_'),
	type text not null,
	received_at timestamptz not null default now()
);

-- Store credit: a code per credit given, and a ledger whose sum is the balance (per code, per customer).
create table credit_codes (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	customer_id uuid not null,
	code text not null unique check (code ~ '^[A-Z0-9]{4}(-[A-Z0-9]{4}){2,3}$'),
	currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
	return_id uuid,
	expires_at timestamptz,
	created_at timestamptz not null default now(),
	unique (shop_id, id),
	foreign key (shop_id, customer_id) references customers (shop_id, id),
	foreign key (shop_id, return_id) references returns (shop_id, id)
);
create index credit_codes_customer_idx on credit_codes (shop_id, customer_id);
create unique index credit_codes_return_idx on credit_codes (return_id) where return_id is not null;

create table credit_entries (
	id bigint generated always as identity primary key,
	shop_id uuid not null,
	customer_id uuid not null,
	credit_code_id uuid not null,
	kind text not null check (kind in ('issued', 'bonus', 'spent', 'expired')),
	amount bigint not null check (amount <> 0),
	currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
	return_id uuid,
	-- A redemption's key from the shop (its order id, or Idempotency-Key): the same key spends once.
	idempotency_key text check (length(idempotency_key) between 1 and 255),
	reference text,
	actor_kind text not null check (actor_kind in ('customer', 'staff', 'system', 'api', 'import')),
	actor_id text,
	created_at timestamptz not null default now(),
	check ((kind in ('issued', 'bonus')) = (amount > 0)),
	unique (credit_code_id, idempotency_key),
	foreign key (shop_id, credit_code_id) references credit_codes (shop_id, id),
	foreign key (shop_id, customer_id) references customers (shop_id, id)
);
create index credit_entries_customer_idx on credit_entries (shop_id, customer_id, id);

create function credit_entries_append_only() returns trigger language plpgsql as $$
begin
	raise exception 'credit_entries is append-only' using errcode = 'insufficient_privilege';
end $$;
create trigger credit_entries_no_update before update or delete on credit_entries
	for each row execute function credit_entries_append_only();

-- Exchanges: the item reserved when the customer chose it, until the shop has the replacement order.
create table exchanges (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	return_id uuid not null,
	return_line_id uuid not null,
	variant_id uuid not null,
	quantity integer not null check (quantity > 0),
	status text not null default 'reserved'
		check (status in ('reserved', 'awaiting_payment', 'ordered', 'shipped', 'released')),
	-- The new item's price less what was paid for the returned one, minor units: > 0 the customer pays it.
	price_difference bigint not null default 0,
	currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
	stripe_checkout_session_id text unique check (stripe_checkout_session_id ~ '^cs_'),
	checkout_url text,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	unique (return_line_id),
	unique (shop_id, id),
	foreign key (shop_id, return_id) references returns (shop_id, id) on delete cascade,
	foreign key (shop_id, return_line_id) references return_lines (shop_id, id) on delete cascade,
	foreign key (shop_id, variant_id) references variants (shop_id, id)
);
create index exchanges_held_idx on exchanges (variant_id) where status in ('reserved', 'awaiting_payment');

-- Webhooks Retour sends to the shop (exchange orders, credit issued), signed with the endpoint's secret.
create table webhook_endpoints (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null references shops (id) on delete cascade,
	url text not null check (url ~ '^https?://'),
	secret text not null check (length(secret) >= 24),
	events text[] not null default '{}', -- empty: every event
	active boolean not null default true,
	created_at timestamptz not null default now(),
	unique (shop_id, id)
);

create table webhook_deliveries (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	endpoint_id uuid not null,
	event_type text not null check (event_type ~ '^[a-z_]+(\.[a-z_]+)+$'),
	payload jsonb not null,
	status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
	attempts integer not null default 0 check (attempts >= 0),
	response_status integer,
	response_body text,
	error text,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	delivered_at timestamptz,
	foreign key (shop_id, endpoint_id) references webhook_endpoints (shop_id, id) on delete cascade
);
create index webhook_deliveries_shop_idx on webhook_deliveries (shop_id, created_at desc);

-- Notifications: an email belongs to a return, is sent once per key, and may carry the label.
alter table emails add column return_id uuid;
alter table emails add column dedupe_key text unique;
alter table emails add column locale text check (locale in ('en', 'fr'));

create table email_attachments (
	id uuid primary key default gen_random_uuid(),
	email_id uuid not null references emails (id) on delete cascade,
	filename text not null check (length(filename) between 1 and 200),
	content_type text not null,
	content bytea not null
);
create index email_attachments_email_idx on email_attachments (email_id);
