import Foundation

/// Creating and opening segment files.
enum SegmentFiles {
    /// Creates `segments/<sequence>.log` holding only its header (atomically) and opens it for appends.
    static func create(layout: TrailLayout, sequence: UInt64, previous: ChainValue, openedAt: Date) throws -> SegmentWriter.OpenSegment {
        let header = SegmentCodec.header(
            sequence: sequence, previous: previous, openedMilliseconds: SegmentCodec.milliseconds(openedAt) ?? 0)
        let path = layout.absolute(TrailLayout.segment(sequence))
        try FileIO.writeAtomically(header, to: path, temporaryDirectory: layout.temporary)
        let fd = try FileIO.openForWriting(path)
        return SegmentWriter.OpenSegment(
            fd: fd, sequence: sequence, path: path, offset: header.count, allocated: header.count, eventCount: 0, last: previous, firstEventAt: nil)
    }
}
