-- Conversations, continued (issue 4).

-- Photos a customer sends in a conversation (damage, a wrong item): kept in the database with their checked type,
-- size and digest, reachable only through the return link's token and an id no one can guess.
create table conversation_photos (
	id uuid primary key default gen_random_uuid(),
	shop_id uuid not null,
	conversation_id uuid not null,
	content_type text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp', 'image/heic')),
	byte_size integer not null check (byte_size between 1 and 10485760),
	sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
	bytes bytea not null check (octet_length(bytes) = byte_size),
	created_at timestamptz not null default now(),
	unique (shop_id, id),
	foreign key (shop_id, conversation_id) references conversations (shop_id, id) on delete cascade
);
create index conversation_photos_conversation_idx on conversation_photos (conversation_id, created_at);

-- How the items go back (the carrier label or QR code is made from it in the next step) …
alter table returns add column return_method text check (return_method in ('label', 'drop_off', 'keep'));

-- … and what the customer asked for instead: another size (variant) or another product.
alter table return_lines add column exchange_variant_id uuid;
alter table return_lines add column exchange_product_id uuid;
alter table return_lines add foreign key (shop_id, exchange_variant_id) references variants (shop_id, id);
alter table return_lines add foreign key (shop_id, exchange_product_id) references products (shop_id, id);
