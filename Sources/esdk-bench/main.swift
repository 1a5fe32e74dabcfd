import CofferEncryptionSDK
import Foundation

// Benchmarks streaming file encryption/decryption and reports throughput and peak RSS.
// usage: esdk-bench encrypt|decrypt SUITE_HEX FRAME_LENGTH INPUT OUTPUT

/// Peak resident set size of this process in KiB (Linux: VmHWM).
func peakRSSKiB() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
    }
    return -1
}

let arguments = CommandLine.arguments
if arguments.count == 5, arguments[1] == "memory" {
    try await runInMemory(suiteHex: arguments[2], frameLength: Int(arguments[3]) ?? 4096, sizeMiB: Int(arguments[4]) ?? 256)
    exit(0)
}
guard arguments.count == 6, let suiteID = UInt16(arguments[2], radix: 16), let suite = AlgorithmSuite.suite(id: suiteID),
      let frameLength = Int(arguments[3]) else {
    print("usage: esdk-bench encrypt|decrypt SUITE_HEX FRAME_LENGTH INPUT OUTPUT")
    exit(2)
}
let keyring = try RawAESKeyring(keyNamespace: "bench", keyName: "key", wrappingKey: Array(repeating: 7, count: 32))
let cmm = DefaultCryptographicMaterialsManager(keyring: keyring)
let sdk = EncryptionSDK(commitmentPolicy: suite.isCommitting ? .requireEncryptRequireDecrypt : .forbidEncryptAllowDecrypt)
let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: arguments[4]))
_ = FileManager.default.createFile(atPath: arguments[5], contents: nil)
let output = try FileHandle(forWritingTo: URL(fileURLWithPath: arguments[5]))
let inputSize = (try FileManager.default.attributesOfItem(atPath: arguments[4])[.size] as? NSNumber)?.intValue ?? 0

let clock = ContinuousClock()
let start = clock.now
switch arguments[1] {
case "encrypt":
    _ = try await sdk.encrypt(file: input, to: output, materialsManager: cmm, algorithmSuite: suite, frameLength: frameLength)
case "decrypt":
    _ = try await sdk.decrypt(file: input, to: output, materialsManager: cmm)
default:
    print("unknown mode \(arguments[1])")
    exit(2)
}
try output.close()
let elapsed = clock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let plaintextBytes = arguments[1] == "encrypt" ? inputSize
    : ((try FileManager.default.attributesOfItem(atPath: arguments[5])[.size] as? NSNumber)?.intValue ?? 0)
print("{\"mode\": \"\(arguments[1])\", \"suite\": \"\(arguments[2])\", \"frame\": \(frameLength), \"seconds\": \(seconds), "
      + "\"mb_per_s\": \(Double(plaintextBytes) / 1e6 / seconds), \"peak_rss_kib\": \(peakRSSKiB())}")

/// Encrypts and decrypts an in-memory buffer in 1 MiB chunks, discarding output: the crypto path without file I/O.
func runInMemory(suiteHex: String, frameLength: Int, sizeMiB: Int) async throws {
    guard let id = UInt16(suiteHex, radix: 16), let suite = AlgorithmSuite.suite(id: id) else { exit(2) }
    let keyring = try RawAESKeyring(keyNamespace: "bench", keyName: "key", wrappingKey: Array(repeating: 7, count: 32))
    let cmm = DefaultCryptographicMaterialsManager(keyring: keyring)
    let sdk = EncryptionSDK()
    let chunk = [UInt8](repeating: 0x5A, count: 1 << 20)
    let clock = ContinuousClock()
    var encryptor = try await sdk.makeEncryptor(materialsManager: cmm, algorithmSuite: suite, frameLength: frameLength)
    var output: [UInt8] = []
    output.reserveCapacity(2 << 20)
    var ciphertextSample: [UInt8] = []
    let encryptStart = clock.now
    for index in 0..<sizeMiB {
        try encryptor.update(chunk, into: &output)
        if index == 0 { ciphertextSample = output }
        output.removeAll(keepingCapacity: true)
    }
    try encryptor.finish(into: &output)
    let encryptSeconds = (clock.now - encryptStart) / .seconds(1)
    // Decrypt a message of the same size: re-encrypt into memory once, then time decryption only.
    var whole: [UInt8] = []
    whole.reserveCapacity(sizeMiB << 20 + (sizeMiB << 20) / frameLength * 40 + 4096)
    var second = try await sdk.makeEncryptor(materialsManager: cmm, algorithmSuite: suite, frameLength: frameLength)
    for _ in 0..<sizeMiB { try second.update(chunk, into: &whole) }
    try second.finish(into: &whole)
    _ = ciphertextSample
    var decryptor = sdk.makeDecryptor(materialsManager: cmm)
    var plaintext: [UInt8] = []
    plaintext.reserveCapacity(2 << 20)
    let decryptStart = clock.now
    var offset = 0
    while offset < whole.count {
        let end = min(offset + (1 << 20), whole.count)
        whole[offset..<end].withUnsafeBytes { decryptor.append($0) }
        try await decryptor.drain(into: &plaintext)
        plaintext.removeAll(keepingCapacity: true)
        offset = end
    }
    try await decryptor.finish(into: &plaintext)
    let decryptSeconds = (clock.now - decryptStart) / .seconds(1)
    let megabytes = Double(sizeMiB << 20) / 1e6
    print("{\"mode\": \"memory\", \"suite\": \"\(suiteHex)\", \"frame\": \(frameLength), "
          + "\"encrypt_mb_per_s\": \(megabytes / encryptSeconds), \"decrypt_mb_per_s\": \(megabytes / decryptSeconds), "
          + "\"peak_rss_kib\": \(peakRSSKiB())}")
}
