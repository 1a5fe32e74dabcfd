import Crypto
import Foundation

/// One verification pass; accumulates the report.
struct VerificationRun {
    struct LoadedDigest {
        var path: String
        var fileHash: String
        var document: DigestDocument
        var signature: String?
        var signatureValid: Bool
        var start: Date?
        var end: Date?
    }

    let layout: TrailLayout
    let publicKey: Curve25519.Signing.PublicKey
    let start: Date?
    let end: Date?
    var report = AuditVerificationReport()
    private var seen = Set<AuditProblem>()
    /// Files with a problem reported against them, by kind.
    private var flagged = Set<String>()

    init(layout: TrailLayout, publicKey: Curve25519.Signing.PublicKey, start: Date?, end: Date?) {
        self.layout = layout
        self.publicKey = publicKey
        self.start = start
        self.end = end
    }

    /// Appended to file-level problems found from the listing of a digest that failed verification.
    private var listingNote = ""

    mutating func add(_ kind: AuditProblem.Kind, _ file: String, event: String? = nil, _ detail: String) {
        let problem = AuditProblem(kind: kind, file: file, event: event, detail: detail + listingNote)
        guard seen.insert(problem).inserted else { return }
        flagged.insert("\(kind.rawValue)|\(file)")
        report.problems.append(problem)
    }

    func isFlagged(_ kind: AuditProblem.Kind, _ file: String) -> Bool {
        flagged.contains("\(kind.rawValue)|\(file)")
    }

    func inRange(_ digest: LoadedDigest) -> Bool {
        if let start, let digestEnd = digest.end, digestEnd < start { return false }
        if let end, let digestStart = digest.start, digestStart > end { return false }
        return true
    }

    mutating func verify() {
        let digests = loadDigests()
        let selected = digests.filter(inRange)
        checkDigestChain(digests, selected: selected)

        var listedLogFiles: [String: DigestLogFile] = [:]
        var listedHashes: [String: String] = [:]
        var listedSegments: [UInt64: DigestSegment] = [:]
        var prunedFiles = Set<String>()
        var prunedSegments = Set<UInt64>()
        for digest in digests {
            for file in digest.document.logFiles {
                listedLogFiles[file.s3Object] = file
                listedHashes[file.hashValue] = file.s3Object
            }
            for segment in digest.document.segments { listedSegments[segment.sequence] = segment }
            prunedFiles.formUnion(digest.document.prunedLogFiles.map(\.s3Object))
            prunedSegments.formUnion(digest.document.prunedSegments.map(\.sequence))
        }

        checkSegmentContinuity(selected)
        for digest in selected {
            let document = digest.document
            let trusted = !isFlagged(.digestModified, digest.path) && !isFlagged(.digestSignatureInvalid, digest.path)
            listingNote = trusted ? "" : " (as listed by \(digest.path), which failed verification)"
            defer { listingNote = "" }
            var segmentEvidence: [UInt64: SegmentEvidence] = [:]
            for segment in document.segments where !prunedSegments.contains(segment.sequence) {
                if let evidence = verifySegment(segment) { segmentEvidence[segment.sequence] = evidence }
            }
            for file in document.logFiles where !prunedFiles.contains(file.s3Object) {
                verifyLogFile(file, evidence: segmentEvidence[file.segmentSequence], listedHashes: listedHashes)
            }
        }
        findUnlisted(
            digests: digests, listedLogFiles: listedLogFiles, listedSegments: listedSegments, prunedFiles: prunedFiles,
            prunedSegments: prunedSegments)
    }

    // MARK: Digests

    private mutating func loadDigests() -> [LoadedDigest] {
        var loaded: [LoadedDigest] = []
        for relative in FileIO.listRecursively(layout.digests, suffix: ".json.gz") {
            let path = TrailLayout.digestDirectory + "/" + relative
            guard let bytes = try? FileIO.readIfPresent(layout.absolute(path), maxBytes: DigestHead.maxDigestBytes) else {
                add(.digestModified, path, "cannot be read or is too large")
                continue
            }
            guard let json = try? Gzip.decompress(bytes, maxSize: DigestHead.maxDigestBytes),
                let document = TrailJSON.decode(DigestDocument.self, from: json)
            else {
                add(.digestModified, path, "is not a gzipped digest document")
                continue
            }
            let signaturePath = layout.absolute(TrailLayout.signatureFile(ofDigest: path))
            let signature = (try? FileIO.readIfPresent(signaturePath, maxBytes: AuditVerifier.maxSignatureBytes))
                .flatMap { $0 }.map { String(decoding: $0, as: UTF8.self) }
            var valid = false
            if let signature, let raw = Hex.decode(signature) {
                valid = publicKey.isValidSignature(raw, for: json)
            }
            loaded.append(
                LoadedDigest(
                    path: path, fileHash: Hex.encode(SHA256.hash(data: bytes)), document: document, signature: signature,
                    signatureValid: valid, start: UTCTime.parseISO8601(document.digestStartTime),
                    end: UTCTime.parseISO8601(document.digestEndTime)))
        }
        return loaded.sorted { ($0.document.digestSequence, $0.path) < ($1.document.digestSequence, $1.path) }
    }

    private mutating func checkDigestChain(_ digests: [LoadedDigest], selected: [LoadedDigest]) {
        var byPath: [String: Int] = [:]
        for (index, digest) in digests.enumerated() { byPath[digest.path] = index }
        // What each digest's successor recorded about it.
        var recordedSignature: [Int: String?] = [:]
        var missingBefore = Set<String>()
        let fingerprint = TrailMaintenance.fingerprint(of: publicKey)
        let selectedPaths = Set(selected.map(\.path))

        for (index, digest) in digests.enumerated() where selectedPaths.contains(digest.path) {
            let document = digest.document
            if document.digestS3Object != digest.path {
                add(.digestModified, digest.path, "says it is \(document.digestS3Object)")
            }
            if index > 0, digests[index - 1].document.digestSequence == document.digestSequence {
                add(.digestChainBroken, digest.path, "repeats digest sequence \(document.digestSequence)")
            }
            guard let previousPath = document.previousDigestS3Object else {
                if document.digestSequence != 1 || index > 0 {
                    add(.digestChainBroken, digest.path, "has no previous digest but is number \(document.digestSequence)")
                }
                continue
            }
            guard let previousIndex = byPath[previousPath] else {
                if TrailLayout.isSafeRelative(previousPath), FileIO.exists(layout.absolute(previousPath)) {
                    // It exists but could not be loaded; already reported as modified.
                    missingBefore.insert(digest.path)
                } else {
                    add(.digestMissing, previousPath, "is the previous digest of \(digest.path)")
                    missingBefore.insert(digest.path)
                }
                continue
            }
            let previous = digests[previousIndex]
            recordedSignature[previousIndex] = document.previousDigestSignature
            if previous.fileHash != document.previousDigestHashValue {
                add(.digestModified, previous.path, "SHA-256 differs from the one recorded by \(digest.path)")
            }
            if previousIndex != index - 1 {
                add(.digestChainBroken, digest.path, "links to \(previous.path), which is not the digest before it")
            } else if previous.document.digestSequence &+ 1 != document.digestSequence {
                add(.digestChainBroken, digest.path, "sequence does not follow \(previous.path)")
            } else if previous.document.digestEndTime != document.digestStartTime {
                add(.digestChainBroken, digest.path, "period does not start where \(previous.path) ended")
            }
        }

        for (index, digest) in digests.enumerated() where selectedPaths.contains(digest.path) {
            var good = true
            if digest.signature == nil {
                add(.digestSignatureInvalid, digest.path, "signature file is missing")
                good = false
            } else if !digest.signatureValid {
                // If the successor recorded exactly this signature, the signature is original: the content changed.
                if let recorded = recordedSignature[index], recorded == digest.signature {
                    add(.digestModified, digest.path, "content no longer matches its signature")
                } else {
                    let keyNote = digest.document.publicKeyFingerprint == fingerprint ? "" : " (signed for another key)"
                    add(.digestSignatureInvalid, digest.path, "signature does not verify with the given key" + keyNote)
                }
                good = false
            } else if let recorded = recordedSignature[index], recorded != digest.signature {
                add(.digestChainBroken, digest.path, "signature differs from the one recorded by the next digest")
                good = false
            }
            if isFlagged(.digestModified, digest.path) { good = false }
            if good { report.digestsVerified += 1 }
        }
        self.digestsAfterGap = missingBefore
    }

    /// Digests whose predecessor is missing (continuity checks across the gap are skipped).
    private var digestsAfterGap = Set<String>()

    /// Segments must follow each other: consecutive sequences, each starting at the previous one's last chain.
    private mutating func checkSegmentContinuity(_ selected: [LoadedDigest]) {
        var previous: DigestSegment?
        for digest in selected {
            let segments = digest.document.segments.sorted { $0.sequence < $1.sequence }
            for segment in segments {
                defer { previous = segment }
                guard let before = previous else { continue }
                if segment.sequence == before.sequence &+ 1 {
                    if segment.previousChain != before.lastChain {
                        add(.digestChainBroken, segment.segment, "does not start where \(before.segment) ended")
                    }
                } else if !digestsAfterGap.contains(digest.path) {
                    add(.digestChainBroken, segment.segment, "follows \(before.segment): segments in between are listed nowhere")
                }
            }
        }
    }

    // MARK: Segments

    struct SegmentEvidence {
        var bytes: [UInt8]
        var events: [SegmentCodec.Event]
    }

    /// Verifies a listed segment; returns its events when they are authentic (the chain ends at the digest's value).
    private mutating func verifySegment(_ entry: DigestSegment) -> SegmentEvidence? {
        let file = entry.segment
        guard TrailLayout.isSafeRelative(file) else {
            add(.digestModified, file, "segment path is not inside the trail")
            return nil
        }
        let bytes: [UInt8]
        do {
            guard let read = try FileIO.readIfPresent(layout.absolute(file), maxBytes: AuditVerifier.maxSegmentBytes) else {
                add(.logFileMissing, file, "segment (the chain evidence of its log files) is missing")
                return nil
            }
            bytes = read
        } catch {
            add(.logFileModified, file, "segment cannot be read or is too large")
            return nil
        }
        let hashMatches = Hex.encode(SHA256.hash(data: bytes)) == entry.hashValue
        let lines = SegmentCodec.lines(bytes)
        guard case .header(let header)? = lines.first, header.sequence == entry.sequence else {
            add(.logFileModified, file, "segment header is missing or damaged")
            return nil
        }
        if header.previous.description != entry.previousChain {
            add(.logFileModified, file, "segment header does not start at the digest's previous chain value")
        }
        var events: [SegmentCodec.Event] = []
        var broken: [SegmentCodec.Event] = []
        var chain = header.previous
        var damaged = false
        var partial = false
        for line in lines.dropFirst() {
            switch line {
            case .event(let event):
                if chain.next(bytes[event.payload]) != event.chain { broken.append(event) }
                chain = event.chain
                events.append(event)
            case .trailer:
                break
            case .partial:
                partial = true
            case .header, .malformed:
                damaged = true
            }
        }
        let authentic = broken.isEmpty && !damaged && events.count == entry.events
            && (events.last?.chain ?? header.previous).description == entry.lastChain
        let reported = report.problems.count
        for event in broken {
            let kind: AuditProblem.Kind =
                events.count < entry.events ? .eventDeleted : events.count > entry.events ? .eventInserted : .eventModified
            let what =
                kind == .eventDeleted ? "the chain breaks here: an event before this one is missing"
                : kind == .eventInserted ? "the chain breaks here: this or an earlier line was added"
                : "line does not match the chain"
            add(kind, file, event: event.eventID, what)
        }
        if damaged { add(.logFileModified, file, "segment has unparsable lines") }
        if broken.isEmpty, !damaged, events.count < entry.events {
            add(.segmentTruncated, file, "holds \(events.count) of the \(entry.events) events its digest lists" + (partial ? " and ends inside a line" : ""))
        } else if partial {
            add(.segmentTruncated, file, "ends inside a line")
        }
        if !authentic, report.problems.count == reported {
            add(.logFileModified, file, "segment chain does not end at the digest's value")
        }
        if !hashMatches, report.problems.count == reported {
            add(.logFileModified, file, "segment SHA-256 does not match the digest")
        }
        return authentic ? SegmentEvidence(bytes: bytes, events: events) : nil
    }

    // MARK: Log files

    private mutating func verifyLogFile(_ entry: DigestLogFile, evidence: SegmentEvidence?, listedHashes: [String: String]) {
        let file = entry.s3Object
        guard TrailLayout.isSafeRelative(file) else {
            add(.digestModified, file, "log file path is not inside the trail")
            return
        }
        let bytes: [UInt8]
        do {
            guard let read = try FileIO.readIfPresent(layout.absolute(file), maxBytes: AuditVerifier.maxLogFileBytes) else {
                add(.logFileMissing, file, "listed in a digest and not pruned")
                return
            }
            bytes = read
        } catch {
            add(.logFileModified, file, "cannot be read or is too large")
            return
        }
        let hash = Hex.encode(SHA256.hash(data: bytes))
        let hashMatches = hash == entry.hashValue
        if hashMatches {
            report.logFilesVerified += 1
        } else if let other = listedHashes[hash], other != file {
            add(.filesReordered, file, "holds the content listed for \(other)")
            return
        }
        var records: [ArraySlice<UInt8>]?
        if let json = try? Gzip.decompress(bytes, maxSize: AuditVerifier.maxLogFileExpandedBytes),
            let ranges = try? RawJSON.recordRanges(in: json)
        {
            records = ranges.map { json[$0] }
        }
        if !hashMatches {
            add(.logFileModified, file, "SHA-256 does not match the digest" + (records == nil ? "; not a readable CloudTrail log file" : ""))
        } else if records == nil {
            add(.logFileModified, file, "matches its digest but is not a readable CloudTrail log file")
        }
        guard let evidence else { return }
        let expected = evidence.events.filter { $0.account == entry.recipientAccountId && $0.region == entry.awsRegion }
        if expected.count != entry.events || expected.first?.chain.description != entry.firstEventChain
            || expected.last?.chain.description != entry.lastEventChain
        {
            add(.digestChainBroken, file, "the digest's event count or chain anchors do not match the segment")
        }
        guard let records else { return }
        let comparison = EventAlignment.compare(
            expected: expected.map { EventAlignment.Expected(eventID: $0.eventID, bytes: evidence.bytes[$0.json]) },
            actual: records, file: file)
        report.eventsVerified += comparison.verified
        for problem in comparison.problems { add(problem.kind, problem.file, event: problem.event, problem.detail) }
    }

    // MARK: Unlisted files

    private mutating func findUnlisted(
        digests: [LoadedDigest], listedLogFiles: [String: DigestLogFile], listedSegments: [UInt64: DigestSegment],
        prunedFiles: Set<String>, prunedSegments: Set<UInt64>
    ) {
        let logFiles = FileIO.listRecursively(layout.logs, suffix: ".json.gz").filter { !$0.hasPrefix("CloudTrail-Digest/") }
        guard let newest = digests.compactMap(\.end).max() else {
            if !logFiles.isEmpty, report.problems.isEmpty {
                add(.digestMissing, TrailLayout.digestDirectory, "there are \(logFiles.count) log files but no readable digest")
            }
            return
        }
        for relative in logFiles {
            let path = TrailLayout.logsDirectory + "/" + relative
            guard listedLogFiles[path] == nil, !prunedFiles.contains(path) else { continue }
            // Named after its segment's close time (minute precision); anything closed before the newest digest is listed.
            guard let time = TrailLayout.logFileTime(path) else {
                add(.logFileUnlisted, path, "is not a log file name the trail writes")
                continue
            }
            if let start, time.addingTimeInterval(60) < start { continue }
            if let end, time > end { continue }
            if time.addingTimeInterval(60) <= newest {
                add(.logFileUnlisted, path, "is older than the newest digest but listed in none")
            }
        }
        let highest = listedSegments.keys.max() ?? 0
        for name in FileIO.list(layout.segments) {
            guard let sequence = TrailLayout.sequence(ofSegmentFile: name, suffix: ".log"), sequence <= highest,
                listedSegments[sequence] == nil, !prunedSegments.contains(sequence)
            else { continue }
            if start == nil, end == nil {
                add(.logFileUnlisted, TrailLayout.segment(sequence), "segment precedes digested segments but is listed in none")
            }
        }
    }
}
