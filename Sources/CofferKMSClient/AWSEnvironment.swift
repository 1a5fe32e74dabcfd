import Foundation

/// Reads AWS settings the way the AWS CLI and SDKs do, from an environment dictionary.
public struct AWSEnvironment: Sendable {
    public var variables: [String: String]
    /// The home directory used for `~/.aws/credentials`.
    public var homeDirectory: String?

    public init(variables: [String: String] = ProcessInfo.processInfo.environment, homeDirectory: String? = nil) {
        self.variables = variables
        self.homeDirectory = homeDirectory ?? variables["HOME"]
    }

    private func value(_ name: String) -> String? {
        guard let value = variables[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// The profile: `AWS_PROFILE`, else `default`.
    public var profile: String { value("AWS_PROFILE") ?? "default" }

    /// The shared credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    public var sharedCredentialsFile: String? {
        if let path = value("AWS_SHARED_CREDENTIALS_FILE") {
            return path.hasPrefix("~/") ? (homeDirectory.map { $0 + path.dropFirst() } ?? path) : path
        }
        return homeDirectory.map { $0 + "/.aws/credentials" }
    }

    /// `AWS_REGION`, else `AWS_DEFAULT_REGION`.
    public var region: String? { value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") }

    /// `AWS_ENDPOINT_URL_KMS`, else `AWS_ENDPOINT_URL`.
    public func kmsEndpointOverride() throws(KMSClientError) -> URL? {
        for name in ["AWS_ENDPOINT_URL_KMS", "AWS_ENDPOINT_URL"] {
            guard let text = value(name) else { continue }
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["https", "http"].contains(scheme), url.host != nil else {
                throw KMSClientError(.configuration, "\(name) is not an http(s) URL")
            }
            return url
        }
        return nil
    }

    /// `AWS_CA_BUNDLE`.
    public var caBundle: String? { value("AWS_CA_BUNDLE") }

    /// Credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, else from
    /// the profile's section of the shared credentials file.
    public func credentials() throws(KMSClientError) -> AWSCredentials {
        if let id = value("AWS_ACCESS_KEY_ID") {
            guard let secret = value("AWS_SECRET_ACCESS_KEY") else {
                throw KMSClientError(.missingCredentials, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        }
        guard let path = sharedCredentialsFile else {
            throw KMSClientError(.missingCredentials, "no AWS credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a credentials file")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw KMSClientError(.missingCredentials, "no AWS credentials in the environment, and the credentials file \(path) cannot be read")
        }
        let sections = Self.parseINI(text)
        guard let section = sections[profile] else {
            throw KMSClientError(.missingCredentials, "profile '\(profile)' is not in the credentials file \(path)")
        }
        guard let id = section["aws_access_key_id"], !id.isEmpty, let secret = section["aws_secret_access_key"], !secret.isEmpty else {
            throw KMSClientError(.missingCredentials, "profile '\(profile)' in \(path) lacks aws_access_key_id or aws_secret_access_key")
        }
        let token = section["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
    }

    /// Parses an AWS-style INI file: `[section]` headers, `key = value` lines, `#`/`;` comments.
    /// Section names `profile NAME` are also accepted as `NAME`.
    public static func parseINI(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                var name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("profile ") { name = name.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces) }
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current]?[key] = value
        }
        return sections
    }
}
