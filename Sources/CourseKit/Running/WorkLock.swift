import Foundation
#if canImport(Glibc)
import Glibc
#endif

// A run deletes and recreates its chapter's work directory (`.course/work/<id>/`), so two runs
// of one chapter at once (two terminals, `course exercise check --watch` beside `course run`)
// would delete each other's files mid-run. Each run holds an advisory lock on
// `.course/work/<id>.lock` for as long as it runs; a second run says who holds it and waits.
// The kernel drops the lock when its holder exits, however it exits, so a crashed run never
// leaves a stale lock behind.

struct WorkLock {
    private let fd: Int32

    /// Takes the lock of `work`, waiting (with a message on stderr) while another run holds it.
    static func acquire(_ work: URL, chapterPath: String) throws -> WorkLock {
        let parent = work.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let path = parent.appendingPathComponent(work.lastPathComponent + ".lock").path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CourseError("cannot open \(path) to lock the chapter's work directory: \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw CourseError("cannot lock \(path): \(reason)")
            }
            var holder = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &holder, holder.count, 0)
            let pid = count > 0 ? String(decoding: holder[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            let message = "course: another run of \(chapterPath) (process \(pid)) is using \(work.path); "
                + "waiting for it to finish (Ctrl-C stops this one)\n"
            FileHandle.standardError.write(Data(message.utf8))
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let reason = String(cString: strerror(errno))
                    close(fd)
                    throw CourseError("cannot lock \(path): \(reason)")
                }
            }
        }
        // Who holds it, for the next run's message.
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        return WorkLock(fd: fd)
    }

    func release() {
        _ = flock(fd, LOCK_UN)
        close(fd)
    }
}
