-- Demo data: five orders per tenant, named after the tenant's schema.

INSERT INTO orders (customer, total_cents, placed_at)
SELECT current_schema() || ' customer ' || n, n * 1250, now() - make_interval(days => n)
FROM generate_series(1, 5) AS n;
