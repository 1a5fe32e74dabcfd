import CofferCore
import CofferKMS
import CofferWire

/// CreateKey: a new KMS key (symmetric encryption keys in this release).
enum CreateKey {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        var parameters = CreateKeyParameters()
        parameters.policy = try call.fields.string("Policy", length: 1...131_072)
        parameters.description = try call.fields.string("Description", length: 0...8192) ?? ""
        parameters.keyUsage = try call.fields.enumeration("KeyUsage", allowed: KeyUsage.allCases.map(\.rawValue)).flatMap(KeyUsage.init)
        let spec = try call.fields.enumeration("KeySpec", allowed: KeySpec.allCases.map(\.rawValue))
        let legacySpec = try call.fields.enumeration("CustomerMasterKeySpec", allowed: KeySpec.customerMasterKeySpecValues)
        parameters.origin = try call.fields.enumeration("Origin", allowed: KeyOrigin.allCases.map(\.rawValue)).flatMap(KeyOrigin.init)
        let customKeyStoreID = try call.fields.string("CustomKeyStoreId", length: 1...64)
        parameters.bypassPolicyLockoutSafetyCheck = try call.fields.boolean("BypassPolicyLockoutSafetyCheck") ?? false
        parameters.tags = try KMSShapes.tags(&call.fields, required: false)
        parameters.multiRegion = try call.fields.boolean("MultiRegion") ?? false
        _ = try call.fields.string("XksKeyId", length: 1...128)
        try call.fields.validate()
        if spec != nil, legacySpec != nil {
            throw KMSError(.validation, "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.")
        }
        parameters.keySpec = (spec ?? legacySpec).flatMap(KeySpec.init)
        if customKeyStoreID != nil {
            throw KMSError(.unsupportedOperation, "Custom key stores are not supported by this server yet.")
        }
        let key = try await call.kms.createKey(parameters, caller: call.caller)
        return KMSShapes.keyMetadataResponse(key)
    }
}
