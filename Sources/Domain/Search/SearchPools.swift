import Foundation

/// Expansions of query words into dictionary terms, valid for one dictionary size. Thread-safe.
final class ExpansionCache: @unchecked Sendable {
    let lock = NSLock()
    var version = -1
    var entries: [String: [(Int, Double)]] = [:]
    static let capacity = 20_000

    func get(_ token: String, version v: Int) -> [(Int, Double)]? {
        lock.lock()
        defer { lock.unlock() }
        return version == v ? entries[token] : nil
    }

    func put(_ token: String, _ value: [(Int, Double)], version v: Int) {
        lock.lock()
        defer { lock.unlock() }
        if version != v || entries.count >= Self.capacity {
            entries.removeAll(keepingCapacity: true)
            version = v
        }
        entries[token] = value
    }
}

/// Lists of document slots reused across queries (emptied, their capacity kept): a broad word matches most of
/// the catalogue, and growing a fresh list to 100 000 entries on every query was a tenth of the search time.
final class SlotListPool: @unchecked Sendable {
    let lock = NSLock()
    var free: [[Int32]] = []

    func take() -> [Int32] {
        lock.lock()
        let b = free.popLast()
        lock.unlock()
        return b ?? []
    }

    /// Takes back a list the caller has emptied (`removeAll(keepingCapacity: true)`).
    func give(_ b: [Int32]) {
        lock.lock()
        if free.count < 48 { free.append(b) }
        lock.unlock()
    }
}

/// Zeroed score arrays reused across queries (a 100 000-document index would otherwise allocate and clear
/// 800 KB per query). Thread-safe: searches run concurrently on a shared index.
final class ScratchPool: @unchecked Sendable {
    let lock = NSLock()
    var free: [[Float]] = []

    func take(_ n: Int) -> [Float] {
        lock.lock()
        let b = free.popLast()
        lock.unlock()
        if var b {
            if b.count < n { b.append(contentsOf: repeatElement(0, count: n - b.count)) }
            return b
        }
        return [Float](repeating: 0, count: n)
    }

    func give(_ b: [Float]) {
        lock.lock()
        if free.count < 16 { free.append(b) }
        lock.unlock()
    }
}
