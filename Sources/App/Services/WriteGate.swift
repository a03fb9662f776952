import Vapor

/// One writer at a time on SQLite, in the order of arrival. SQLite runs one write transaction at a time
/// anyway; without this gate a second writer waits in SQLite's busy handler, which sleeps in growing steps
/// (up to 100 ms) instead of starting the moment the lock is free. On PostgreSQL the gate lets everything
/// through: row locks order the writers there.
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
        guard enabled else { return try await body() }
        await queue.acquire()
        do {
            let r = try await body()
            await queue.release()
            return r
        } catch {
            await queue.release()
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
