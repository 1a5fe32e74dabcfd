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

    init(timeout: TimeAmount) { self.timeout = timeout }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            requestStarted = .now()
        case .end:
            requestStarted = nil
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let requestStarted, deadline == nil {
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
