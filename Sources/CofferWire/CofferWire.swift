// CofferWire: what AWS clients put on the wire, independent of any HTTP framework: AWS Signature
// Version 4 verification, the JSON codec used by the JSON 1.1 services, and the typed field
// readers that turn bad input into AWS-style validation errors.
//
// It must not import storage, domain modules or Hummingbird.
