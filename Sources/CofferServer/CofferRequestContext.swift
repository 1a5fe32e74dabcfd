import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage plus the peer's address (`aws:SourceIp`).
struct CofferRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's IP address, when the connection has one.
    let sourceIP: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        sourceIP = source.channel.remoteAddress?.ipAddress
    }
}
