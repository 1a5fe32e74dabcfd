import CofferCore
import CofferKMS
import CofferWire

/// VerifyMac: checks an HMAC in constant time; a wrong MAC is KMSInvalidMacException.
enum VerifyMac {
    static func handle(_ call: inout KMSCall) async throws -> [UInt8] {
        let message = try call.fields.blob("Message", required: true, length: 1...4096)
        let keyID = try call.fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let algorithm = try call.fields.enumeration("MacAlgorithm", allowed: GenerateMac.algorithms, required: true)
        let mac = try call.fields.blob("Mac", required: true, length: 1...6144)
        try KMSShapes.grantTokens(&call.fields)
        try KMSShapes.checkDryRun(&call.fields)
        try call.fields.validate()
        // Invariant: validate() throws when a required member is missing or not in the enum.
        let key = try await call.kms.verifyMac(keyID: keyID!, message: message!, mac: mac!, algorithm: algorithm!, caller: call.caller)
        call.usedKeys = [key]
        var json = JSONWriter()
        json.beginObject()
        json.key("KeyId"); json.string(key.arn)
        json.key("MacValid"); json.bool(true)
        json.key("MacAlgorithm"); json.string(algorithm!)
        json.endObject()
        return json.bytes
    }
}
