/// The lifecycle state of a KMS key, with AWS's rules for which operations each state allows.
public enum KeyState: String, Sendable, Hashable, Codable, CaseIterable {
    case creating = "Creating"
    case enabled = "Enabled"
    case disabled = "Disabled"
    case pendingDeletion = "PendingDeletion"
    case pendingImport = "PendingImport"
    case pendingReplicaDeletion = "PendingReplicaDeletion"
    case unavailable = "Unavailable"
    case updating = "Updating"

    /// The state after EnableKey.
    public func enabling(keyARN: @autoclosure () -> String) throws -> KeyState {
        switch self {
        case .enabled, .disabled: return .enabled
        default: throw KMSError(.invalidState, "\(keyARN()) is \(rawValue)")
        }
    }

    /// The state after DisableKey.
    public func disabling(keyARN: @autoclosure () -> String) throws -> KeyState {
        switch self {
        case .enabled, .disabled: return .disabled
        default: throw KMSError(.invalidState, "\(keyARN()) is \(rawValue)")
        }
    }

    /// Throws the AWS error for a cryptographic operation on a key in this state.
    public func checkUsable(keyARN: @autoclosure () -> String) throws {
        switch self {
        case .enabled: return
        case .disabled: throw KMSError(.disabled, "\(keyARN()) is disabled.")
        default: throw KMSError(.invalidState, "\(keyARN()) is \(rawValue)")
        }
    }

    /// Throws for management operations (aliases, tags, description) that AWS refuses in this state.
    public func checkManageable(keyARN: @autoclosure () -> String) throws {
        switch self {
        case .enabled, .disabled, .pendingImport: return
        default: throw KMSError(.invalidState, "\(keyARN()) is \(rawValue)")
        }
    }
}
