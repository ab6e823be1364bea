import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// A tiny HTTP/1.1 server for the download tests: POSIX sockets on 127.0.0.1, a port the kernel
// picks, one background thread serving one connection at a time (`Connection: close`), and a
// lifetime limit so a forgotten server stops by itself. Routes serve bytes with chosen headers,
// honour `Range: bytes=N-`, can cut the connection mid-body a given number of times, and can
// redirect (the Hub puts its `X-Linked-*` headers on a redirect to the CDN).

public final class TestHTTPServer: @unchecked Sendable {
    public struct Route {
        public var status = 200
        public var body: [UInt8] = []
        public var headers: [String: String] = [:]
        /// Send only this many body bytes, then close the connection...
        public var dropAfter: Int?
        /// ...on this many GET requests (later ones are served whole).
        public var drops = 1
        /// Answer Range requests with the whole body and 200, as some proxies and CDNs do.
        public var ignoresRange = false
        /// Answer HEAD without Content-Length, as some servers do (the length is then unknown
        /// until the GET).
        public var headWithoutLength = false
        /// Answer GET and HEAD without Content-Length, the body ending when the connection
        /// closes (so a cut-off body looks like a whole one).
        public var withoutLength = false
        /// The total a 206's Content-Range announces, if not the body's length (a mirror whose
        /// file is longer than what it can serve).
        public var rangeTotal: Int?

        public init(status: Int = 200, body: [UInt8] = [], headers: [String: String] = [:], dropAfter: Int? = nil,
                    drops: Int = 1, ignoresRange: Bool = false, headWithoutLength: Bool = false,
                    withoutLength: Bool = false, rangeTotal: Int? = nil) {
            self.status = status; self.body = body; self.headers = headers; self.dropAfter = dropAfter
            self.drops = drops; self.ignoresRange = ignoresRange; self.headWithoutLength = headWithoutLength
            self.withoutLength = withoutLength; self.rangeTotal = rangeTotal
        }
    }

    /// One request as received.
    public struct Request: Equatable {
        public var method: String
        public var path: String
        public var range: String?
        public var authorization: String? = nil
        /// Every header as received (names lowercased) and the body (read by Content-Length).
        public var headers: [String: String] = [:]
        public var body: [UInt8] = []

        public init(method: String, path: String, range: String?, authorization: String? = nil,
                    headers: [String: String] = [:], body: [UInt8] = []) {
            self.method = method; self.path = path; self.range = range; self.authorization = authorization
            self.headers = headers; self.body = body
        }
    }

    /// What a handler answers; `nil` from a handler falls through to the routes. `dropConnection`
    /// closes the connection without an answer (a connection cut mid-upload).
    public struct Response {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]
        public var dropConnection: Bool
        public init(status: Int = 200, headers: [String: String] = [:], body: [UInt8] = [], dropConnection: Bool = false) {
            self.status = status; self.headers = headers; self.body = body; self.dropConnection = dropConnection
        }
        public static func json(_ object: Any, status: Int = 200) -> Response {
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            return Response(status: status, headers: ["Content-Type": "application/json"], body: Array(data))
        }
    }

    private var handler: ((Request) -> Response?)?

    /// Answers every request through `handler` first (a Hub that keeps state across requests).
    public func handle(_ handler: @escaping (Request) -> Response?) {
        lock.lock(); self.handler = handler; lock.unlock()
    }

    private let lock = NSLock()
    private var routes: [String: Route] = [:]
    private var requests: [Request] = []
    private var stopped = false
    private let listener: Int32
    private let deadline: Date
    public let port: UInt16

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public init(lifetime: TimeInterval = 20) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else {
            close(listener)
            throw ServerError("bind/listen: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        deadline = Date().addingTimeInterval(lifetime)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    deinit { stop() }

    public func route(_ path: String, _ route: Route) {
        lock.lock(); routes[path] = route; lock.unlock()
    }

    /// Serves `body` like the Hub serves a file: ETag, and for LFS files the sha256 as X-Linked-Etag.
    public func file(_ path: String, _ body: [UInt8], headers: [String: String] = [:], dropAfter: Int? = nil, drops: Int = 1) {
        route(path, Route(body: body, headers: headers, dropAfter: dropAfter, drops: drops))
    }

    public var log: [Request] {
        lock.lock(); defer { lock.unlock() }
        return requests
    }

    public func stop() {
        lock.lock(); defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private var isStopped: Bool {
        lock.lock(); defer { lock.unlock() }
        return stopped
    }

    private func serve() {
        while !isStopped && Date() < deadline {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0, !isStopped else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            handle(client)
            close(client)
        }
        stop()
    }

    private func handle(_ client: Int32) {
        guard let (head, early) = readHead(client) else { return }
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return }
        let method = String(parts[0]), path = String(parts[1])
        var range: String?
        var authorization: String?
        var received: [String: String] = [:]
        for line in lines.dropFirst() {
            if let colon = line.firstIndex(of: ":") {
                received[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let lower = line.lowercased()
            if lower.hasPrefix("range:") { range = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
            if lower.hasPrefix("authorization:") { authorization = line.dropFirst(14).trimmingCharacters(in: .whitespaces) }
        }
        // curl asks before sending a large body; answer at once instead of letting it wait a second.
        if received["expect"]?.lowercased() == "100-continue" { sendRaw(client, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) }
        var body = early
        let length = Int(received["content-length"] ?? "") ?? 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while body.count < length {
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return }
            body.append(contentsOf: buffer[0..<n])
        }
        let request = Request(method: method, path: path, range: range, authorization: authorization,
                              headers: received, body: body)
        lock.lock()
        requests.append(request)
        if let handler {
            lock.unlock()
            if let answer = handler(request) {
                if !answer.dropConnection {
                    send(client, status: answer.status, headers: answer.headers, body: answer.body, method: method)
                }
                return
            }
            lock.lock()
        }
        var route = routes[path]
        var drop: Int?
        if method == "GET", let r = route, let after = r.dropAfter, r.drops > 0 {
            drop = after
            route?.drops -= 1
            routes[path] = route
        }
        lock.unlock()

        guard let route else {
            send(client, status: 404, headers: ["X-Error-Code": "EntryNotFound"], body: Array("not found".utf8), method: method)
            return
        }
        var status = route.status
        body = route.body
        var headers = route.headers
        if status == 200, !route.ignoresRange, let range, range.hasPrefix("bytes="), let start = Int(range.dropFirst(6).split(separator: "-").first ?? "") {
            if start >= route.body.count {
                send(client, status: 416, headers: ["Content-Range": "bytes */\(route.body.count)"], body: [], method: method)
                return
            }
            status = 206
            body = Array(route.body[start...])
            headers["Content-Range"] = "bytes \(start)-\(route.body.count - 1)/\(route.rangeTotal ?? route.body.count)"
        }
        send(client, status: status, headers: headers, body: body, method: method, dropAfter: drop,
             withoutLength: route.withoutLength || (method == "HEAD" && route.headWithoutLength))
    }

    /// The request head, and whatever body bytes arrived with it.
    private func readHead(_ client: Int32) -> (String, [UInt8])? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let separator: [UInt8] = [13, 10, 13, 10]
        while data.count < 65536 {
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return nil }
            data.append(contentsOf: buffer[0..<n])
            if data.count >= 4, let end = (0...(data.count - 4)).first(where: { Array(data[$0..<$0 + 4]) == separator }) {
                guard let text = String(bytes: data[..<end], encoding: .utf8) else { return nil }
                return (text, Array(data[(end + 4)...]))
            }
        }
        return nil
    }

    private func sendRaw(_ client: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(client, base + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                sent += n
            }
        }
    }

    private func send(_ client: Int32, status: Int, headers: [String: String], body: [UInt8], method: String,
                      dropAfter: Int? = nil, withoutLength: Bool = false) {
        let reasons = [200: "OK", 201: "Created", 401: "Unauthorized", 403: "Forbidden", 409: "Conflict",
                       413: "Payload Too Large", 429: "Too Many Requests", 206: "Partial Content", 302: "Found", 404: "Not Found", 416: "Range Not Satisfiable",
                       500: "Internal Server Error", 503: "Service Unavailable"]
        var text = "HTTP/1.1 \(status) \(reasons[status] ?? "Status")\r\n"
        var all = headers
        all["Content-Length"] = withoutLength ? nil : all["Content-Length"] ?? String(body.count)
        all["Connection"] = "close"
        for (key, value) in all.sorted(by: { $0.key < $1.key }) { text += "\(key): \(value)\r\n" }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if method != "HEAD" { bytes += body.prefix(dropAfter ?? body.count) }
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var sent = 0
            while sent < raw.count {
                let n = Glibc.send(client, base + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                sent += n
            }
        }
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
