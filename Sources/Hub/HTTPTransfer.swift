import Files
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// Blocking HTTP on top of URLSession: a HEAD that records every response along a redirect chain
// (the Hub puts `X-Linked-Etag` / `X-Linked-Size` on the first, redirecting response), and a GET
// that streams the body into a file handle chunk by chunk, so a dropped connection leaves the
// bytes received so far on disk for the next attempt to resume with a Range request.
// URLSession on Linux (libcurl underneath) honours Range and reports a short body as an error,
// which is all resuming needs; a socket client would lose HTTPS.

/// Status and headers of one HTTP response. Header lookup ignores case.
struct HTTPHead: Sendable {
    var status: Int
    var headers: [String: String]
    var url: URL?

    init(_ response: HTTPURLResponse) {
        status = response.statusCode
        url = response.url
        var lowered: [String: String] = [:]
        for (key, value) in response.allHeaderFields {
            if let key = key as? String, let value = value as? String { lowered[key.lowercased()] = value }
        }
        headers = lowered
    }

    init(status: Int, headers: [String: String]) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    subscript(_ name: String) -> String? { headers[name.lowercased()] }
}

/// A network-level failure (no HTTP status): connection refused, reset, timed out, short body.
struct TransferError: Error, CustomStringConvertible {
    var description: String
}

/// Collects the callbacks of one task and lets the caller wait for its end.
private final class TaskDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var heads: [HTTPHead] = []                 // redirect responses, then the final one
    var error: Error?
    var redirects: Redirects = .follow
    /// Receives body chunks once the final response is known; returning false cancels.
    var sink: ((HTTPHead, Data) -> Bool)?

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        heads.append(HTTPHead(response))
        let leaves = !HTTPTransfer.sameOrigin(task.originalRequest?.url, request.url)
        switch redirects {
        case .sameOrigin where leaves:
            // Refusing the redirect makes this response the final one; its headers are what we want.
            heads.removeLast()
            completionHandler(nil)
        case .sameOrigin, .follow:
            var next = request
            // A token for the Hub must not travel to a CDN or storage host.
            if leaves { next.setValue(nil, forHTTPHeaderField: "Authorization") }
            completionHandler(next)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse { heads.append(HTTPHead(http)) }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let sink, let head = heads.last else { return }
        if !sink(head, data) { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        self.error = error
        done.signal()
    }
}

/// Which redirects a request follows.
enum Redirects {
    /// Every redirect; the `Authorization` header is dropped when one leaves the origin.
    case follow
    /// Only redirects within the origin (scheme, host, port). A HEAD on the Hub uses this, like
    /// huggingface_hub: the redirect to the CDN carries the file's metadata itself.
    case sameOrigin
}

enum HTTPTransfer {
    /// Runs one request to completion. `sink` gets body chunks with the response they belong to.
    /// Returns every response seen (redirects first); throws `TransferError` on network failure.
    static func run(_ request: URLRequest, redirects: Redirects = .follow,
                    sink: ((HTTPHead, Data) -> Bool)? = nil) throws -> [HTTPHead] {
        let delegate = TaskDelegate()
        delegate.sink = sink
        delegate.redirects = redirects
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1      // callbacks in order, never concurrently
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        // Some Foundation versions time a task by the configuration, others by the request: set
        // both. Either way it is an idle timeout, restarted whenever bytes arrive.
        configuration.timeoutIntervalForRequest = request.timeoutInterval
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request).resume()
        delegate.done.wait()
        // The completion callback was the last one and signalled after its writes, so the
        // delegate's state is complete and no longer changing.
        let heads = delegate.heads
        if let failure = delegate.error {
            let cancelled = (failure as? URLError)?.code == .cancelled
            throw TransferError(description: cancelled ? "the transfer was stopped" : Self.reason(failure))
        }
        return heads
    }

    /// A network failure in words: Foundation on Linux describes URL errors only by number
    /// ("The operation could not be completed. (NSURLErrorDomain error -1004.)").
    static func reason(_ failure: any Error) -> String {
        guard let error = failure as? URLError else { return FileProblem.describe(failure) }
        switch error.code {
        case .cannotConnectToHost: return "could not connect to the server (nothing listens there, or a firewall refuses)"
        case .cannotFindHost, .dnsLookupFailed: return "the server's name could not be resolved (check the URL and DNS)"
        case .timedOut: return "the server sent nothing for too long (timed out)"
        case .networkConnectionLost: return "the connection was lost mid-transfer"
        case .notConnectedToInternet: return "this machine is not connected to a network"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            return "the TLS connection failed (the server's certificate was not accepted)"
        case .badServerResponse: return "the server sent a response that is not valid HTTP"
        case .unsupportedURL, .badURL: return "the URL is not one this client can fetch"
        default: return "the network transfer failed (URL error \(error.code.rawValue))"
        }
    }

    static func sameOrigin(_ a: URL?, _ b: URL?) -> Bool {
        guard let a, let b else { return false }
        func port(_ url: URL) -> Int { url.port ?? (url.scheme?.lowercased() == "https" ? 443 : 80) }
        return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased()
            && port(a) == port(b)
    }

    /// A request with the headers every Hub call needs.
    static func request(_ url: URL, method: String, token: String?, timeout: TimeInterval) -> URLRequest {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        // Sizes and checksums are of the stored bytes: forbid transparent compression.
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        request.setValue("swift-fine-tuning-course/1.0", forHTTPHeaderField: "User-Agent")
        if let token, !token.isEmpty { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return request
    }
}
