import Vapor

/// One writer at a time on SQLite, in the order of arrival. SQLite runs one write transaction at a time
/// anyway; without this gate a second writer waits in SQLiteNIO's busy handler, which retries the lock in a
/// tight loop on a thread of the I/O pool, and waiting writers win the lock in no particular order. On
/// PostgreSQL the gate lets everything through: row locks order the writers there.
final class WriteGate: Sendable {
    private actor Queue {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []

        func acquire() async {
            if !busy {
                busy = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func release() {
            if waiting.isEmpty {
                busy = false
            } else {
                waiting.removeFirst().resume()
            }
        }
    }

    private let queue = Queue()
    let enabled: Bool

    init(enabled: Bool) { self.enabled = enabled }

    /// Waits for the gate (pair with `release`); `run` is the usual way.
    func acquire() async {
        if enabled { await queue.acquire() }
    }

    func release() async {
        if enabled { await queue.release() }
    }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let r = try await body()
            await release()
            return r
        } catch {
            await release()
            throw error
        }
    }
}

extension Application {
    private struct WriteGateKey: StorageKey { typealias Value = WriteGate }

    /// Set up in `configure` for the database in use.
    var writeGate: WriteGate {
        get {
            if let g = storage[WriteGateKey.self] { return g }
            return WriteGate(enabled: false)
        }
        set { storage[WriteGateKey.self] = newValue }
    }
}
