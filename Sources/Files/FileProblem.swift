import Foundation

/// What went wrong with a file operation, in words a user can act on.
///
/// Foundation on Linux wraps every failing system call in a `CocoaError` whose description is
/// "The operation could not be completed. (NSCocoaErrorDomain error 512.)": true, and useless.
/// The cause is the POSIX error underneath (`NSUnderlyingError`), so messages are built from it.
public enum FileProblem {
    /// A short reason for `error` at `path`, e.g. "a file is in the way: /out/run is not a folder"
    /// or "permission denied". Falls back to the error's own description only when it carries no
    /// system error (then it is already a sentence of ours, e.g. a thrown message).
    public static func describe(_ error: any Error, path: String? = nil) -> String {
        let ns = error as NSError
        let errno: Int32? = {
            if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
            // Stored as a Swift error on Linux, so bridge it rather than cast to NSError.
            if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? any Error {
                let u = underlying as NSError
                if u.domain == NSPOSIXErrorDomain { return Int32(u.code) }
            }
            if let posix = error as? POSIXError { return posix.code.rawValue }
            return nil
        }()
        let target = path ?? (ns.userInfo[NSFilePathErrorKey] as? String)
        guard let errno else {
            if ns.domain == NSCocoaErrorDomain { return cocoaReason(ns.code) }
            return "\(error)"
        }
        return reason(errno: errno, path: target)
    }

    /// The reason for a system error number at `path`.
    public static func reason(errno code: Int32, path: String?) -> String {
        switch code {
        case ENOTDIR:
            if let path, let file = fileInTheWay(of: path) { return "a file is in the way: \(file) is a file, not a folder" }
            return "a part of the path is a file, not a folder"
        case EEXIST:
            if let path { return "\(path) already exists and is in the way" }
            return "a file of that name is in the way"
        case EISDIR: return "it is a folder, not a file"
        case EACCES, EPERM: return "permission denied"
        case EROFS: return "the file system is read-only"
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "the disk quota is exhausted"
        case ENOENT: return "it does not exist"
        case ENAMETOOLONG: return "the path is too long"
        case ELOOP: return "too many symbolic links in the path"
        default: return String(cString: strerror(code)).lowercased()
        }
    }

    /// The first existing ancestor of `path` (or `path` itself) that is a file rather than a folder.
    public static func fileInTheWay(of path: String) -> String? {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        let fm = FileManager.default
        while url.path != "/" && !url.path.isEmpty {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: url.path, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? nil : url.path
            }
            url.deleteLastPathComponent()
        }
        return nil
    }

    /// Cocoa errors without a system error underneath (rare: encodings, unreadable data).
    static func cocoaReason(_ code: Int) -> String {
        switch code {
        case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue: return "it does not exist"
        case CocoaError.fileReadNoPermission.rawValue, CocoaError.fileWriteNoPermission.rawValue: return "permission denied"
        case CocoaError.fileWriteOutOfSpace.rawValue: return "no space left on the device"
        case CocoaError.fileWriteVolumeReadOnly.rawValue: return "the file system is read-only"
        case CocoaError.fileReadInapplicableStringEncoding.rawValue, CocoaError.fileReadCorruptFile.rawValue:
            return "its contents are not valid text"
        default: return "the system gave error \(code)"
        }
    }
}
