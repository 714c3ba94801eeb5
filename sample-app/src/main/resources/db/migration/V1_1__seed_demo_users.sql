-- Demo data: 2500 users, so that the batched data migration of V3 has something to do.
-- Names cycle through two short lists; emails are unique by their sequence number.

INSERT INTO usertable (first_name, last_name, email, created_at)
SELECT (ARRAY['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken'])[1 + n % 8],
       (ARRAY['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Ritchie'])[1 + n % 9],
       'demo.user' || n || '@example.com',
       now() - make_interval(mins => n)
FROM generate_series(1, 2500) AS n;

-- Every third demo user also signs in with a (made-up) external provider.
INSERT INTO useridentitytable (user_id, provider, provider_user_id)
SELECT id, 'github', 'gh-' || substring(email FROM 'demo\.user([0-9]+)@')
FROM usertable
WHERE substring(email FROM 'demo\.user([0-9]+)@')::int % 3 = 0;
