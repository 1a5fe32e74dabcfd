import Crypto
import Foundation
import Testing
@testable import CofferEncryptionSDK

@Suite("FrameCipher")
struct FrameCipherTests {
    @Test("seals exactly as swift-crypto's AES.GCM for 128-, 192- and 256-bit keys, and opens its own output",
          arguments: [16, 24, 32])
    func matchesSwiftCrypto(keyBytes: Int) throws {
        let key = SymmetricKey(data: (0..<keyBytes).map { UInt8($0 &* 7 &+ 1) })
        let cipher = try FrameCipher(key: key)
        let iv = (0..<12).map { UInt8($0 &+ 40) }
        let aad = Array("aad bytes".utf8)
        for length in [0, 1, 15, 16, 17, 4096, 65_537] {
            let plaintext = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            var output: [UInt8] = [9, 9, 9]
            try plaintext.withUnsafeBytes { p in
                try iv.withUnsafeBytes { i in try aad.withUnsafeBytes { a in try cipher.seal(p, iv: i, aad: a, appendingTo: &output) } }
            }
            let reference = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(data: iv), authenticating: aad)
            #expect(output == [9, 9, 9] + Array(reference.ciphertext) + Array(reference.tag))

            var opened: [UInt8] = [1]
            let ok = output.withUnsafeBytes { o in
                iv.withUnsafeBytes { i in
                    aad.withUnsafeBytes { a in
                        cipher.open(UnsafeRawBufferPointer(rebasing: o[3..<(3 + length)]), tag: UnsafeRawBufferPointer(rebasing: o[(3 + length)...]),
                                    iv: i, aad: a, appendingTo: &opened)
                    }
                }
            }
            #expect(ok && opened == [1] + plaintext)
        }
    }

    @Test("a wrong tag, AAD or IV opens nothing and leaves the output as it was")
    func tamperedFramesOpenNothing() throws {
        let key = SymmetricKey(size: .bits256)
        let cipher = try FrameCipher(key: key)
        let iv = [UInt8](repeating: 3, count: 12)
        let plaintext = [UInt8](repeating: 0x41, count: 100)
        let sealed = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(data: iv), authenticating: [1, 2, 3])
        let ciphertext = Array(sealed.ciphertext)
        let tag = Array(sealed.tag)
        var badTag = tag
        badTag[0] ^= 1
        var badIV = iv
        badIV[11] ^= 1
        for (candidateTag, candidateIV, candidateAAD) in [(badTag, iv, [UInt8]([1, 2, 3])), (tag, badIV, [1, 2, 3]), (tag, iv, [1, 2, 4]),
                                                          (Array(tag.prefix(12)), iv, [1, 2, 3])] {
            var output: [UInt8] = [7]
            let ok = ciphertext.withUnsafeBytes { c in
                candidateTag.withUnsafeBytes { t in
                    candidateIV.withUnsafeBytes { i in candidateAAD.withUnsafeBytes { a in cipher.open(c, tag: t, iv: i, aad: a, appendingTo: &output) } }
                }
            }
            #expect(!ok && output == [7])
        }
        #expect(throws: ESDKError.self) { try FrameCipher(key: SymmetricKey(data: [UInt8](repeating: 0, count: 20))) }
    }
}
