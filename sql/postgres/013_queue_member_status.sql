-- The device state Asterisk reports for each queue member (AMI QueueMember / QueueMemberStatus
-- `Status`, AST_DEVICE_*: 0 unknown, 1 not in use, 2 in use, 3 busy, 4 invalid, 5 unavailable,
-- 6 ringing, 7 ringing in use, 8 on hold). It tells whether the operator's phone is registered
-- (4 and 5: not registered; 0: Asterisk does not know), so GET /presence can say so and does not
-- call an operator offline while Asterisk rings them (README.md, "Operator presence").
ALTER TABLE app.queue_members ADD COLUMN device_status smallint;
