INSERT INTO item VALUES (1, 'first');
