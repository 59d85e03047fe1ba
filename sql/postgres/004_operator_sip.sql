-- WebRTC phones of operators (README.md, "Asterisk and the compose stack"): the SIP secret of each operator's PJSIP endpoint.
-- `callcenter asterisk render` writes pjsip endpoints from app.operators (generating a secret for
-- an operator that has none), and the API hands the operator their own credentials for SIP.js
-- (GET /me/softphone). NULL = the endpoint has not been provisioned yet.
ALTER TABLE app.operators ADD COLUMN sip_secret text;
