import CofferCore
import Foundation
import Testing

/// The arithmetic ISO 8601 formatter against Foundation's.
struct ISO8601SecondsTests {
    @Test(arguments: [0.0, 951_782_400, 1_700_000_000.9, 4_102_444_799, -86_401, 1_795_521_600])
    func matchesFoundation(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        #expect(date.iso8601Seconds == formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down))))
    }
}
