import Foundation

/// Makes sure a folder exists and can take new files, before minutes of work depend on it.
public enum WritableFolder {
    /// Creates `path` (and its parents) if needed and writes and removes a probe file in it.
    /// Throws a `WritableFolderError` naming the path, what it is for (`purpose`, e.g.
    /// "the Trainer's outputDir") and why it cannot be used.
    public static func prepare(_ path: String, purpose: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw WritableFolderError(path: path, purpose: purpose, reason: "a file is in the way: \(path) is a file, not a folder")
        }
        do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw WritableFolderError(path: path, purpose: purpose, reason: FileProblem.describe(error, path: path))
        }
        // Root may create folders it cannot write into (a read-only mount): probe with a real file.
        let probe = (path as NSString).appendingPathComponent(".write-probe-\(getpid())")
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw WritableFolderError(path: path, purpose: purpose, reason: FileProblem.reason(errno: errno, path: probe))
        }
        close(fd)
        unlink(probe)
    }
}

/// A folder that cannot be created or written into.
public struct WritableFolderError: Error, CustomStringConvertible {
    /// The folder that could not be used, as given.
    public let path: String
    /// What the folder was for, in words ("the output directory"), for the message.
    public let purpose: String
    /// Why not, in words (from `FileProblem`, not an error number).
    public let reason: String
    public var description: String {
        "cannot use \(path) as \(purpose): \(reason). Choose another folder, or fix its permissions."
    }
}
