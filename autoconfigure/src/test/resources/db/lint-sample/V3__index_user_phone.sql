-- Look users up by phone number.
CREATE INDEX usertable_phone_idx ON usertable (phone);
