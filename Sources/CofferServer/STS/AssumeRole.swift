import CofferIdentity
import CofferWire

/// AssumeRole: temporary credentials for a role whose trust policy admits the caller.
enum AssumeRole {
    static func handle(_ call: inout QueryCall) async throws {
        let roleARN = try call.parameters.required("RoleArn")
        let sessionName = try call.parameters.required("RoleSessionName")
        // A session policy narrows a session's permissions; ignoring one would grant more than the
        // caller asked for, so requests that carry one are refused until it is supported.
        if call.parameters["Policy"] != nil || !call.parameters.list("PolicyArns").isEmpty || call.parameters["PolicyArns.member.1.arn"] != nil {
            throw WireError(.validation, "Session policies (Policy, PolicyArns) are not supported by this server.")
        }
        let credentials = try await call.identity.assumeRole(
            call.caller, roleARN: roleARN, sessionName: sessionName, durationSeconds: try call.parameters.integer("DurationSeconds"),
            externalID: call.parameters["ExternalId"]
        )
        call.result.element("Credentials") { xml in
            xml.element("AccessKeyId", credentials.accessKeyID)
            xml.element("SecretAccessKey", credentials.secretAccessKey)
            xml.element("SessionToken", credentials.sessionToken)
            xml.element("Expiration", IAMShapes.timestamp(credentials.expiration))
        }
        call.result.element("AssumedRoleUser") { xml in
            xml.element("AssumedRoleId", credentials.assumedRoleID)
            xml.element("Arn", credentials.assumedRoleARN)
        }
    }
}
