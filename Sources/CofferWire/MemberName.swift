/// AWS member names in the form validation messages and CloudTrail records use: `KeyId` → `keyId`.
public enum MemberName {
    public static func lowerCamel(_ member: String) -> String {
        guard let first = member.first else { return member }
        return first.lowercased() + member.dropFirst()
    }
}
