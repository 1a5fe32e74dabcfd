import Hummingbird
import NIOCore
import NIOSSL

/// The request context: Hummingbird's core storage plus what the connection knows about the peer
/// (`aws:SourceIp`, and the TLS version for the audit trail's `tlsDetails`).
struct CofferRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's IP address, when the connection has one.
    let sourceIP: String?
    private let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sourceIP = source.channel.remoteAddress?.ipAddress
        channel = source.channel
    }

    /// The negotiated TLS version as CloudTrail writes it (`TLSv1.3`), or nil without TLS.
    func tlsVersion() async -> String? {
        // On the channel's event loop (where handlers normally run) the pipeline is read directly, without a hop.
        let found: TLSVersion??
        if channel.eventLoop.inEventLoop {
            found = try? channel.pipeline.syncOperations.nioSSL_tlsVersion()
        } else {
            found = try? await channel.nioSSL_tlsVersion().get()
        }
        guard let version = found ?? nil else { return nil }
        switch version {
        case .tlsv13: return "TLSv1.3"
        case .tlsv12: return "TLSv1.2"
        case .tlsv11: return "TLSv1.1"
        case .tlsv1: return "TLSv1"
        }
    }
}
