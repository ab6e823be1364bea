import Foundation

/// Removes all but the newest `keep` entries of `folder` (hidden names ignored), newest by the
/// modification date of `dateFile(entry)` (the entry itself by default: a record folder is dated
/// by the file written last into it, since a folder's own date moves when anything inside is
/// touched). Both replay stores bound their size with it. Errors are ignored: an entry that
/// cannot be removed is only a cache that stays a little larger.
func keepNewest(_ keep: Int, in folder: URL, dateFile: (URL) -> URL = { $0 }) {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { return }
    let dated = names.filter { !$0.hasPrefix(".") }.map { name -> (URL, Date) in
        let entry = folder.appendingPathComponent(name)
        let date = (try? dateFile(entry).resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
        return (entry, date ?? .distantPast)
    }.sorted { $0.1 > $1.1 }
    for (entry, _) in dated.dropFirst(keep) { try? fm.removeItem(at: entry) }
}
