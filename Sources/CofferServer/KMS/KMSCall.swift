import CofferCore
import CofferKMS
import CofferWire

/// One KMS request on its way through a handler: who is calling, the request's members, and the
/// key ring.
struct KMSCall {
    let caller: Caller
    var fields: RequestFields
    let kms: KMSService
    /// The keys a successful cryptographic operation used (for GetKeyLastUsage).
    var usedKeys: [KMSKey] = []
}

/// A KMS operation: reads its members, calls the domain, writes the response body.
typealias KMSOperation = @Sendable (inout KMSCall) async throws -> [UInt8]

/// The action table: the only routing for `TrentService.<Action>`.
enum KMSOperations {
    /// The operations AWS counts against the cryptographic request quota.
    static let cryptographic: Set<String> = [
        "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "GenerateRandom",
        "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "Sign", "Verify", "GenerateMac", "VerifyMac",
        "DeriveSharedSecret",
    ]

    static let table: [String: KMSOperation] = [
        "CreateKey": CreateKey.handle,
        "DescribeKey": DescribeKey.handle,
        "ListKeys": ListKeys.handle,
        "EnableKey": EnableKey.handle,
        "DisableKey": DisableKey.handle,
        "UpdateKeyDescription": UpdateKeyDescription.handle,
        "Encrypt": Encrypt.handle,
        "Decrypt": Decrypt.handle,
        "ReEncrypt": ReEncrypt.handle,
        "GenerateDataKey": GenerateDataKey.handle,
        "GenerateDataKeyWithoutPlaintext": GenerateDataKeyWithoutPlaintext.handle,
        "GenerateRandom": GenerateRandom.handle,
        "CreateAlias": CreateAlias.handle,
        "UpdateAlias": UpdateAlias.handle,
        "DeleteAlias": DeleteAlias.handle,
        "ListAliases": ListAliases.handle,
        "TagResource": TagResource.handle,
        "UntagResource": UntagResource.handle,
        "ListResourceTags": ListResourceTags.handle,
        "EnableKeyRotation": EnableKeyRotation.handle,
        "DisableKeyRotation": DisableKeyRotation.handle,
        "GetKeyRotationStatus": GetKeyRotationStatus.handle,
        "RotateKeyOnDemand": RotateKeyOnDemand.handle,
        "ListKeyRotations": ListKeyRotations.handle,
        "ScheduleKeyDeletion": ScheduleKeyDeletion.handle,
        "CancelKeyDeletion": CancelKeyDeletion.handle,
        "GenerateMac": GenerateMac.handle,
        "VerifyMac": VerifyMac.handle,
        "Sign": Sign.handle,
        "Verify": Verify.handle,
        "GetPublicKey": GetPublicKey.handle,
        "GenerateDataKeyPair": GenerateDataKeyPair.handle,
        "GenerateDataKeyPairWithoutPlaintext": GenerateDataKeyPairWithoutPlaintext.handle,
        "DeriveSharedSecret": DeriveSharedSecret.handle,
        "GetKeyPolicy": GetKeyPolicy.handle,
        "PutKeyPolicy": PutKeyPolicy.handle,
        "ListKeyPolicies": ListKeyPolicies.handle,
        "GetParametersForImport": GetParametersForImport.handle,
        "ImportKeyMaterial": ImportKeyMaterial.handle,
        "DeleteImportedKeyMaterial": DeleteImportedKeyMaterial.handle,
        "ReplicateKey": ReplicateKey.handle,
        "UpdatePrimaryRegion": UpdatePrimaryRegion.handle,
        "GetKeyLastUsage": GetKeyLastUsage.handle,
        "CreateGrant": CreateGrant.handle,
        "ListGrants": ListGrants.handle,
        "ListRetirableGrants": ListRetirableGrants.handle,
        "RetireGrant": RetireGrant.handle,
        "RevokeGrant": RevokeGrant.handle,
    ]
}
