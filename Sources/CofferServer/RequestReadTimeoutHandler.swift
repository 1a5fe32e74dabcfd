import NIOCore
import NIOHTTPTypes

/// Closes a connection whose request does not arrive in full within `timeout`.
///
/// The connection idle timeout alone restarts with every byte, so a client trickling a body could
/// hold a connection (and a request) open for ever; this bounds each request instead. Most requests
/// arrive whole in one read, so the timer is only armed when a read batch ends mid-request.
final class RequestReadTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var requestStarted: NIODeadline?
    private var deadline: Scheduled<Void>?
    private var bytesSinceArmed = 0
    static let progressBytes = 1 << 20

    init(timeout: TimeAmount) { self.timeout = timeout }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            requestStarted = .now()
            bytesSinceArmed = 0
        case .end:
            requestStarted = nil
            deadline?.cancel()
            deadline = nil
        case .body(let buffer):
            bytesSinceArmed += buffer.readableBytes
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if requestStarted != nil, deadline != nil, bytesSinceArmed >= Self.progressBytes {
            deadline?.cancel()
            deadline = nil
            requestStarted = .now()
        }
        if let requestStarted, deadline == nil {
            bytesSinceArmed = 0
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(deadline: requestStarted + timeout) {
                boundContext.value.close(promise: nil)
            }
        }
        context.fireChannelReadComplete()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }
}
