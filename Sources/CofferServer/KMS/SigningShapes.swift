import CofferCore
import CofferKMS
import CofferWire

/// Members Sign and Verify share.
enum SigningShapes {
    static let algorithms = [
        "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256",
        "RSASSA_PKCS1_V1_5_SHA_384", "RSASSA_PKCS1_V1_5_SHA_512", "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512",
        "SM2DSA", "ML_DSA_SHAKE_256", "ED25519_SHA_512", "ED25519_PH_SHA_512",
    ]

    /// Reads KeyId, Message, MessageType (default RAW) and SigningAlgorithm.
    static func read(_ fields: inout RequestFields) throws -> (keyID: String?, message: [UInt8]?, type: SigningMessageType, algorithm: String?) {
        let keyID = try fields.string("KeyId", required: true, length: KMSShapes.keyIDLength)
        let message = try fields.blob("Message", required: true, length: 1...4096)
        let type = try fields.enumeration("MessageType", allowed: ["RAW", "DIGEST", "EXTERNAL_MU"]).flatMap(SigningMessageType.init) ?? .raw
        let algorithm = try fields.enumeration("SigningAlgorithm", allowed: algorithms, required: true)
        try KMSShapes.grantTokens(&fields)
        try KMSShapes.checkDryRun(&fields)
        return (keyID, message, type, algorithm)
    }
}
