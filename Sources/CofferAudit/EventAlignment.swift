/// Compares a log file's records with the chained events it should hold and names each difference.
enum EventAlignment {
    struct Expected {
        var eventID: String
        var bytes: ArraySlice<UInt8>
    }

    /// `verified`: records byte-identical to their expected event and in order.
    static func compare(expected: [Expected], actual: [ArraySlice<UInt8>], file: String) -> (verified: Int, problems: [AuditProblem]) {
        var problems: [AuditProblem] = []
        var byContent: [ArraySlice<UInt8>: [Int]] = [:]
        for (index, event) in expected.enumerated() { byContent[event.bytes, default: []].append(index) }
        for key in byContent.keys { byContent[key]?.reverse() }
        var used = [Bool](repeating: false, count: expected.count)
        // (actual position, expected position, byte-identical)
        var pairs: [(actual: Int, expected: Int, exact: Bool)] = []
        var unmatched: [Int] = []
        for (position, record) in actual.enumerated() {
            if let index = byContent[record]?.popLast() {
                used[index] = true
                pairs.append((position, index, true))
            } else {
                unmatched.append(position)
            }
        }
        // Same eventID, different bytes: modified.
        var byID: [String: [Int]] = [:]
        for (index, event) in expected.enumerated().reversed() where !used[index] { byID[event.eventID, default: []].append(index) }
        for position in unmatched {
            let id = RawJSON.topLevelString("eventID", in: actual[position])
            if let id, let index = byID[id]?.popLast() {
                used[index] = true
                pairs.append((position, index, false))
                problems.append(
                    AuditProblem(kind: .eventModified, file: file, event: id, detail: "record \(position + 1) differs from the chained event"))
            } else {
                problems.append(
                    AuditProblem(
                        kind: .eventInserted, file: file, event: id ?? "#\(position + 1)",
                        detail: "record \(position + 1) is not in the chain"))
            }
        }
        for (index, event) in expected.enumerated() where !used[index] {
            problems.append(
                AuditProblem(
                    kind: .eventDeleted, file: file, event: event.eventID,
                    detail: "chained event \(index + 1) of \(expected.count) is missing"))
        }
        // Order: keep the longest run already in chain order; everything else moved.
        pairs.sort { $0.actual < $1.actual }
        let inOrder = longestIncreasing(pairs.map(\.expected))
        var verified = 0
        for (position, pair) in pairs.enumerated() {
            if inOrder.contains(position) {
                if pair.exact { verified += 1 }
            } else {
                problems.append(
                    AuditProblem(
                        kind: .eventsReordered, file: file, event: expected[pair.expected].eventID,
                        detail: "chained event \(pair.expected + 1) appears as record \(pair.actual + 1)"))
            }
        }
        return (verified, problems)
    }

    /// Positions of one longest strictly increasing subsequence of `values`.
    static func longestIncreasing(_ values: [Int]) -> Set<Int> {
        var tails: [Int] = []  // positions
        var previous = [Int](repeating: -1, count: values.count)
        for (position, value) in values.enumerated() {
            var low = 0
            var high = tails.count
            while low < high {
                let middle = (low + high) / 2
                if values[tails[middle]] < value { low = middle + 1 } else { high = middle }
            }
            if low > 0 { previous[position] = tails[low - 1] }
            if low == tails.count { tails.append(position) } else { tails[low] = position }
        }
        var result = Set<Int>()
        var cursor = tails.last ?? -1
        while cursor >= 0 {
            result.insert(cursor)
            cursor = previous[cursor]
        }
        return result
    }
}
