-- Suspicious returns (issue 6): what links a customer's accounts, the risk score each return was made with,
-- what inspection found, the shop's block and allow lists, and "item not received" claims.

-- A customer is linked across accounts by email (one customer row per email), by shipping address and by the
-- card's fingerprint (Stripe's `card.fingerprint`, sent by the shop with the order). The address key is the
-- street, postcode and country with case, spaces and punctuation taken out, so "12 rue X" = "12, Rue x".
alter table orders add column payment_fingerprint text check (length(payment_fingerprint) between 1 and 255);
alter table orders add column address_key text generated always as (
	lower(regexp_replace(ship_line1 || coalesce(ship_line2, ''), '[^[:alnum:]]+', '', 'g'))
	|| '|' || upper(regexp_replace(ship_postal_code, '[^[:alnum:]]+', '', 'g'))
	|| '|' || ship_country
) stored;
create index orders_address_key_idx on orders (shop_id, address_key);
create index orders_payment_fingerprint_idx on orders (shop_id, payment_fingerprint) where payment_fingerprint is not null;

-- The score a return was made with and why: each signal with its points and the numbers behind it, from what
-- was known at that moment only. Written once, in the transaction that creates the return.
create table return_risk_assessments (
	return_id uuid primary key,
	shop_id uuid not null,
	score smallint not null check (score between 0 and 100),
	level text not null check (level in ('low', 'elevated', 'high')),
	signals jsonb not null check (jsonb_typeof(signals) = 'array'),
	profile jsonb not null check (jsonb_typeof(profile) = 'object'),
	scorer text not null, -- the scorer's version, so a later change of weights is visible
	created_at timestamptz not null default now(),
	foreign key (shop_id, return_id) references returns (shop_id, id) on delete cascade
);
create index return_risk_score_idx on return_risk_assessments (shop_id, score desc);

-- What the warehouse found, one row per return line: the condition and what becomes of the goods.
create table return_line_inspections (
	return_line_id uuid primary key,
	shop_id uuid not null,
	return_id uuid not null,
	condition text not null check (condition in ('new', 'opened', 'used', 'damaged', 'wrong_item', 'missing')),
	disposition text check (disposition in ('restock', 'refurbish', 'donate', 'discard')),
	restocked_quantity integer not null default 0 check (restocked_quantity >= 0),
	-- The finding holds the refund for a person (the wrong item, an empty box, worn goods, unreported damage).
	stops_refund boolean not null,
	note text check (length(note) <= 2000),
	inspected_by uuid references users (id) on delete set null,
	inspected_at timestamptz not null default now(),
	-- Nothing came back: nothing to restock or dispose of.
	check ((condition = 'missing') = (disposition is null)),
	check (disposition = 'restock' or restocked_quantity = 0),
	foreign key (shop_id, return_line_id) references return_lines (shop_id, id) on delete cascade,
	foreign key (shop_id, return_id) references returns (shop_id, id) on delete cascade
);
create index return_line_inspections_return_idx on return_line_inspections (return_id);
-- The profile counts the customer's inspection findings by return.
create index return_line_inspections_shop_idx on return_line_inspections (shop_id, return_id) where condition in ('used', 'wrong_item', 'missing');

create table inspection_photos (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	return_line_id uuid not null,
	content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp', 'image/heic')),
	byte_size integer not null check (byte_size between 1 and 10485760),
	sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
	bytes bytea not null check (octet_length(bytes) = byte_size),
	created_at timestamptz not null default now(),
	unique (shop_id, id),
	foreign key (shop_id, return_line_id) references return_lines (shop_id, id) on delete cascade
);
create index inspection_photos_line_idx on inspection_photos (return_line_id, created_at);

-- Block and allow lists: policy conditions (a blocked customer's return goes to a person; an allowed one is
-- trusted). Values are stored normalised: a lowercased email, an address key, an order number, a SKU.
create table risk_list_entries (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null references shops (id) on delete cascade,
	list text not null check (list in ('block', 'allow')),
	kind text not null check (kind in ('email', 'address', 'order', 'product')),
	value text not null check (length(value) between 1 and 300),
	label text not null check (length(label) between 1 and 300), -- as staff typed it
	reason text not null check (length(trim(reason)) between 1 and 500),
	created_by uuid references users (id) on delete set null,
	created_at timestamptz not null default now(),
	unique (shop_id, kind, value)
);

-- "I never received it": a claim about an order, recorded by staff or sent by the shop.
create table order_claims (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	order_id uuid not null,
	customer_id uuid not null,
	kind text not null check (kind in ('not_received')),
	note text check (length(note) <= 2000),
	created_by uuid references users (id) on delete set null,
	created_at timestamptz not null default now(),
	foreign key (shop_id, order_id) references orders (shop_id, id) on delete cascade,
	foreign key (shop_id, customer_id) references customers (shop_id, id)
);
create index order_claims_customer_idx on order_claims (shop_id, customer_id, created_at);

-- Who on the team is looking at a return.
alter table returns add column assigned_to uuid references users (id) on delete set null;
