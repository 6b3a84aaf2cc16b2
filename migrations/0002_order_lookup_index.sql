-- The customer's order lookup searches every shop of the installation by order number and email.
create index orders_number_lookup_idx on orders (order_number, lower(email));
