import CofferCore
import CofferKMS
import CofferWire

/// The `AliasNameType` member rules: 1 to 256 characters of `[a-zA-Z0-9:/_-]`.
enum AliasShapes {
    static func aliasName(_ fields: inout RequestFields) throws -> String? {
        guard let name = try fields.string("AliasName", required: true, length: 1...256) else { return nil }
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x3a || byte == 0x2f || byte == 0x5f || byte == 0x2d
        }
        if !allowed {
            fields.violate(path: "aliasName", value: name, constraint: "must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$")
        }
        return name
    }
}
