import CofferPKI
import Foundation
import Testing

struct LocalCertificateAuthorityTests {
    @Test func issuesACurrentServerCertificateForLocalhost() throws {
        let ca = try LocalCertificateAuthority.makeCA()
        let server = try LocalCertificateAuthority.issueServerCertificate(ca: ca, dnsNames: ["localhost"], ipAddresses: [[127, 0, 0, 1]])
        #expect(server.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(LocalCertificateAuthority.isServerCertificateCurrent(server.certificatePEM, dnsNames: ["localhost"]))
        #expect(!LocalCertificateAuthority.isServerCertificateCurrent(server.certificatePEM, dnsNames: ["example.com"]))
        #expect(!LocalCertificateAuthority.isServerCertificateCurrent(server.certificatePEM, dnsNames: ["localhost"], now: Date().addingTimeInterval(390 * 86_400)))
    }
}
