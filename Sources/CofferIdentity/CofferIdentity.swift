// CofferIdentity: accounts and access keys (and, with the access-control work, IAM users, roles
// and temporary credentials). Secret access keys are stored only sealed under the root key.
//
// No HTTP, no JSON; storage through ``IdentityStore``.
