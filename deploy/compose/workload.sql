-- One round of the optional `workload` service (docker compose --profile workload up): a new order
-- with 1-3 lines, some orders move on (new -> paid -> shipped), a customer changes, and now and then a
-- shipped order is deleted (its lines go with it through ON DELETE CASCADE: deletes on a composite key).
-- The service runs this file about once a second, each run in one transaction.
BEGIN;

WITH c AS (
  SELECT id FROM shop.customers ORDER BY random() LIMIT 1
), o AS (
  INSERT INTO shop.orders (customer_id, status, meta)
  SELECT id, 'new', jsonb_build_object('source', 'workload', 'at', now()) FROM c
  RETURNING id
)
INSERT INTO shop.order_lines (order_id, line_no, sku, qty, unit_price, weight_kg)
SELECT o.id, l, 'SKU-' || lpad((floor(random() * 40))::int::text, 3, '0'), 1 + floor(random() * 4)::int,
       round((1 + random() * 99)::numeric, 2), round((random() * 10)::numeric, 1 + floor(random() * 4)::int)
FROM o, generate_series(1, 1 + floor(random() * 3)::int) AS l;

UPDATE shop.orders o
SET total = (SELECT coalesce(sum(l.qty * l.unit_price), 0) FROM shop.order_lines l WHERE l.order_id = o.id),
    status = 'paid'
WHERE o.id IN (SELECT id FROM shop.orders WHERE status = 'new' ORDER BY id LIMIT 2);

UPDATE shop.orders
SET status = 'shipped', ship_date = current_date
WHERE id IN (SELECT id FROM shop.orders WHERE status = 'paid' ORDER BY id LIMIT 1);

UPDATE shop.customers
SET balance = balance + round((random() * 10)::numeric, 2),
    preferences = jsonb_set(preferences, '{last_seen}', to_jsonb(now())),
    updated_at = now()
WHERE id = (SELECT id FROM shop.customers ORDER BY random() LIMIT 1);

DELETE FROM shop.orders
WHERE random() < 0.2
  AND id = (SELECT id FROM shop.orders WHERE status = 'shipped' ORDER BY id LIMIT 1);

COMMIT;
