/** The typical authenticated REGISTER shared by the parser benchmarks (968 bytes). */
export const REGISTER = Buffer.from(
  'REGISTER sip:pbx.example.com SIP/2.0\r\n' +
    'Via: SIP/2.0/UDP 192.0.2.44:5060;branch=z9hG4bK-524287-1---7f1a2b3c4d5e6f70;rport\r\n' +
    'Max-Forwards: 70\r\n' +
    'Contact: <sip:1001@192.0.2.44:5060;transport=udp;rinstance=8a3c1e0f2b4d6a8c>;expires=3600;+sip.instance="<urn:uuid:3d8a9c1e-0f2b-4d6a-8c3e-1f0a2b4c6d8e>"\r\n' +
    'To: <sip:1001@pbx.example.com>\r\n' +
    'From: "Desk 1001" <sip:1001@pbx.example.com>;tag=5b7c9d1e\r\n' +
    'Call-ID: ZDk4YjQ1ZTA2YjU1NDFmNmE4ZDc5ZDU4ZWQ0MjM1NTk.\r\n' +
    'CSeq: 2 REGISTER\r\n' +
    'Expires: 3600\r\n' +
    'Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\r\n' +
    'Supported: replaces, norefersub, extended-refer, timer, outbound, path, X-cisco-serviceuri\r\n' +
    'User-Agent: Zoiper rv2.10.19.5\r\n' +
    'Authorization: Digest username="1001",realm="pbx.example.com",nonce="Z2V0LW5vbmNlLTE3MDAwMDAwMDAtYWJjZGVm",uri="sip:pbx.example.com",response="3f1c9f0a2b4d6e8f0a1b2c3d4e5f6a7b",cnonce="a1b2c3d4",nc=00000001,qop=auth,algorithm=MD5\r\n' +
    'Allow-Events: presence, kpml, talk\r\n' +
    'Content-Length: 0\r\n\r\n',
);
