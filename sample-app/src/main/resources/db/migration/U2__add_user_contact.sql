-- Undoes V2__add_user_contact.sql. The phone numbers and addresses stored since are
-- lost with the columns: they come back only from the backup taken before the rollback.

ALTER TABLE usertable DROP COLUMN address;
ALTER TABLE usertable DROP COLUMN phone;
