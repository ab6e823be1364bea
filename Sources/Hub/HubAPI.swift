import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// The two Hub API calls a dataset needs, as huggingface_hub makes them:
//   GET /api/datasets/<name>/revision/<revision>  → {"id": canonical id, "sha": commit}; a renamed
//       repository (`conll2003`) answers with a redirect to its new id (`eriktks/conll2003`);
//   GET /api/datasets/<id>/tree/<commit>?recursive=true  → [{"type": "file", "path", "size",
//       "lfs": {"oid": sha256}}], a page at a time, the next page named by a `Link: <…>; rel="next"` header.

/// One file of a repository listing.
struct RepoEntry: Sendable {
    var path: String
    var size: Int64?
    /// sha256 of an LFS file (every Parquet file the Hub stores).
    var sha256: String?
}

struct HubAPI {
    var endpoint: String
    var token: String?
    var timeout: TimeInterval

    /// The canonical id and commit of `name` at `revision`.
    func datasetInfo(_ name: String, revision: String) throws -> (id: String, commit: String) {
        let url = try makeURL("/api/datasets/\(name)/revision/\(Self.escape(revision))")
        let (json, _) = try getJSON(url, what: "dataset '\(name)'")
        guard let object = json as? [String: Any], let id = object["id"] as? String, let sha = object["sha"] as? String else {
            throw HubError("\(url.absoluteString) did not answer with a dataset's id and sha; is HF_ENDPOINT a Hugging Face Hub?")
        }
        try Hub.validate(repo: id, type: .dataset)
        guard sha.utf8.count == 40, sha.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw HubError("\(url.absoluteString) answered the commit '\(sha)', which is not a commit hash")
        }
        return (id, sha)
    }

    /// Every file of dataset `id` at `commit`, following the listing's pages.
    func tree(_ id: String, commit: String) throws -> [RepoEntry] {
        var next: URL? = try makeURL("/api/datasets/\(id)/tree/\(commit)?recursive=true&expand=false")
        var entries: [RepoEntry] = []
        var pages = 0
        while let url = next {
            pages += 1
            guard pages <= 1000 else { throw HubError("the file listing of '\(id)' has more than 1,000 pages") }
            let (json, head) = try getJSON(url, what: "the files of dataset '\(id)'")
            guard let items = json as? [[String: Any]] else {
                throw HubError("\(url.absoluteString) did not answer with a file listing")
            }
            for item in items where item["type"] as? String == "file" {
                guard let path = item["path"] as? String else { continue }
                let lfs = item["lfs"] as? [String: Any]
                let size = (lfs?["size"] as? NSNumber ?? item["size"] as? NSNumber)?.int64Value
                entries.append(RepoEntry(path: path, size: size, sha256: (lfs?["oid"] as? String).flatMap {
                    Downloader.isSHA256($0) ? $0 : nil
                }))
            }
            next = Self.nextPage(head["link"], relativeTo: url)
            // The token must not leave the Hub: a next page elsewhere is refused.
            if let candidate = next, !HTTPTransfer.sameOrigin(candidate, url) {
                throw HubError("the file listing of '\(id)' points to another host (\(candidate.host ?? "?")); refusing it")
            }
        }
        return entries
    }

    private func makeURL(_ path: String) throws -> URL {
        guard let url = URL(string: endpoint + path) else { throw HubError("cannot make a URL from \(endpoint)\(path)") }
        return url
    }

    /// GET and parse JSON, following redirects within the Hub (renamed repositories).
    private func getJSON(_ url: URL, what: String) throws -> (Any, HTTPHead) {
        var body = Data()
        let heads: [HTTPHead]
        do {
            heads = try HTTPTransfer.run(HTTPTransfer.request(url, method: "GET", token: token, timeout: timeout),
                                         redirects: .sameOrigin) { head, chunk in
                body.append(chunk)
                return body.count < 64 << 20
            }
        } catch let error as TransferError {
            throw HubError("cannot reach \(url.absoluteString): \(error.description)")
        }
        guard let last = heads.last else { throw HubError("no response from \(url.absoluteString)") }
        switch last.status {
        case 200: break
        case 401, 403:
            throw HubError("\(url.absoluteString) answered \(last.status): \(what) is private, gated or does not exist. "
                + "Check the name, or set HF_TOKEN to a token that may read it.")
        case 404:
            let code = last["x-error-code"].map { " (\($0))" } ?? ""
            throw HubError("\(url.absoluteString) answered 404\(code): the Hub has no \(what). Check the name and revision.")
        default:
            throw HubError("\(url.absoluteString) answered HTTP \(last.status) for \(what); try again later.")
        }
        do {
            return (try JSONSerialization.jsonObject(with: body), last)
        } catch {
            throw HubError("\(url.absoluteString) answered with something that is not JSON (\(body.count) bytes)")
        }
    }

    /// The `rel="next"` target of a Link header.
    static func nextPage(_ header: String?, relativeTo base: URL) -> URL? {
        guard let header else { return nil }
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = fields.first, target.hasPrefix("<"), target.hasSuffix(">"),
                  fields.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "rel=\"next\"" }) else { continue }
            return URL(string: String(target.dropFirst().dropLast()), relativeTo: base)?.absoluteURL
        }
        return nil
    }

    /// A revision as one path segment (`refs/convert/parquet` → `refs%2Fconvert%2Fparquet`).
    static func escape(_ revision: String) -> String {
        revision.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? revision
    }
}
