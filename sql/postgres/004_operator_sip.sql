-- WebRTC phones of operators (issue #5, #4): the SIP secret of each operator's PJSIP endpoint.
-- `callcenter asterisk render` writes pjsip endpoints from app.operators (generating a secret for
-- an operator that has none), and the API hands the operator their own credentials for SIP.js
-- (GET /me/softphone). NULL = the endpoint has not been provisioned yet.
ALTER TABLE app.operators ADD COLUMN sip_secret text;
