-- The kind of phone behind an operator's PJSIP endpoint. `webrtc`: the browser softphone of the
-- web app (WSS, DTLS-SRTP, ICE, opus); `sip`: a desk phone or softphone speaking plain SIP over
-- UDP with RTP (G.711). `callcenter asterisk render` picks the endpoint template from it
-- (asterisk/etc/pjsip.conf: operator-webrtc or operator-desk). Clinics mix both.
ALTER TABLE app.operators
  ADD COLUMN phone text NOT NULL DEFAULT 'webrtc' CHECK (phone IN ('webrtc', 'sip'));
