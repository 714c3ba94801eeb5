CREATE OR REPLACE VIEW order_summary AS
SELECT u.email, count(o.id) AS orders
FROM users u LEFT JOIN orders o ON o.user_id = u.id
GROUP BY u.email;
