import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate and its private key, in PEM.
public struct IssuedCertificate: Sendable {
    public var certificatePEM: String
    public var privateKeyPEM: String

    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }
}

/// Creates the local CA and the server certificates it signs (ECDSA P-256, SHA-256).
///
/// The certificates carry what strict verifiers (Python 3.13's VERIFY_X509_STRICT, Go, Java)
/// require: a critical basicConstraints and keyCertSign on the CA, subject and authority key
/// identifiers, and subjectAltNames plus the serverAuth usage on the leaf.
public enum LocalCertificateAuthority {
    /// How long the CA and a server certificate stay valid.
    public static let caLifetime: TimeInterval = 10 * 365 * 86_400
    public static let serverLifetime: TimeInterval = 397 * 86_400

    /// A new self-signed CA.
    public static func makeCA(commonName: String = "Coffer Local CA", now: Date = Date()) throws -> IssuedCertificate {
        let key = P256.Signing.PrivateKey()
        let certificateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName {
            OrganizationName("Coffer")
            CommonName(commonName)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: certificateKey.publicKey,
            notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: now.addingTimeInterval(caLifetime),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: certificateKey.publicKey)
            },
            issuerPrivateKey: certificateKey
        )
        return IssuedCertificate(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation)
    }

    /// A server certificate for the given DNS names and IP addresses, signed by the CA.
    public static func issueServerCertificate(
        ca: IssuedCertificate, dnsNames: [String], ipAddresses: [[UInt8]], now: Date = Date()
    ) throws -> IssuedCertificate {
        let caCertificate = try Certificate(pemEncoded: ca.certificatePEM)
        let caKey = try Certificate.PrivateKey(P256.Signing.PrivateKey(pemRepresentation: ca.privateKeyPEM))
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try DistinguishedName {
            OrganizationName("Coffer")
            CommonName(dnsNames.first ?? "localhost")
        }
        let caKeyIdentifier = try caCertificate.extensions.subjectKeyIdentifier?.keyIdentifier
        let names = dnsNames.map { GeneralName.dnsName($0) } + ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: min(now.addingTimeInterval(serverLifetime), caCertificate.notValidAfter),
            issuer: caCertificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(names)
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: caKeyIdentifier)
            },
            issuerPrivateKey: caKey
        )
        return IssuedCertificate(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation)
    }

    /// Whether a server certificate is still good for at least `margin` and covers `dnsNames`.
    public static func isServerCertificateCurrent(_ pem: String, dnsNames: [String], now: Date = Date(), margin: TimeInterval = 30 * 86_400) -> Bool {
        guard let certificate = try? Certificate(pemEncoded: pem),
              let names = try? certificate.extensions.subjectAlternativeNames
        else { return false }
        let covered = Set(names.compactMap { name -> String? in
            if case .dnsName(let dns) = name { return dns }
            return nil
        })
        return certificate.notValidAfter > now.addingTimeInterval(margin) && Set(dnsNames).isSubset(of: covered)
    }
}
