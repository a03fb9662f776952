import Foundation
import NIOConcurrencyHelpers

/// Requests that arrive while earlier ones are being served, served together: each runner takes up to
/// `maxBatch` waiting requests and hands them to `process` at once (one statement, one transaction, one round
/// trip for all). `runners` batches run at once; with nothing waiting no runner runs, and a lone request is a
/// batch of one, so a quiet server answers as fast as without it.
///
/// `process` gives each request its outcome: an answer, an error, `again` (served in the next batch, at most
/// `maxAttempts` times, then by `alone`) or `alone` (served on its own, outside the runner). A runner serves its
/// batches with the closures of the request that started it: every caller of one queue passes equivalent ones.
final class BatchQueue<Request: Sendable, Response: Sendable>: Sendable {
    enum Outcome: Sendable {
        case done(Response)
        case failed(any Error)
        case again
        case alone
    }

    typealias Process = @Sendable ([Request]) async -> [Outcome]
    typealias Alone = @Sendable (Request) async throws -> Response

    private struct Waiting: Sendable {
        let request: Request
        let attempts: Int
        let continuation: CheckedContinuation<Response, any Error>
    }

    private struct State: Sendable {
        var queue: [Waiting] = []
        var running = 0
    }

    let runners: Int
    let maxBatch: Int
    let maxAttempts: Int
    private let state = NIOLockedValueBox(State())

    init(runners: Int, maxBatch: Int, maxAttempts: Int = 3) {
        self.runners = max(1, runners)
        self.maxBatch = max(1, maxBatch)
        self.maxAttempts = max(1, maxAttempts)
    }

    func submit(_ request: Request, process: @escaping Process, alone: @escaping Alone) async throws -> Response {
        try await withCheckedThrowingContinuation { c in
            let start = state.withLockedValue { s -> Bool in
                s.queue.append(Waiting(request: request, attempts: 0, continuation: c))
                guard s.running < runners else { return false }
                s.running += 1
                return true
            }
            if start { Task { await self.run(process, alone) } }
        }
    }

    private func run(_ process: Process, _ alone: @escaping Alone) async {
        while true {
            let batch = state.withLockedValue { s -> [Waiting] in
                guard !s.queue.isEmpty else {
                    s.running -= 1
                    return []
                }
                let n = min(maxBatch, s.queue.count)
                defer { s.queue.removeFirst(n) }
                return Array(s.queue.prefix(n))
            }
            if batch.isEmpty { return }
            let outcomes = await process(batch.map(\.request))
            var again: [Waiting] = []
            for (i, w) in batch.enumerated() {
                switch i < outcomes.count ? outcomes[i] : .alone {
                case .done(let response): w.continuation.resume(returning: response)
                case .failed(let error): w.continuation.resume(throwing: error)
                case .again where w.attempts + 1 < maxAttempts:
                    again.append(Waiting(request: w.request, attempts: w.attempts + 1, continuation: w.continuation))
                case .again, .alone:
                    Task {
                        do { w.continuation.resume(returning: try await alone(w.request)) } catch { w.continuation.resume(throwing: error) }
                    }
                }
            }
            if !again.isEmpty { state.withLockedValue { $0.queue.insert(contentsOf: again, at: 0) } }
        }
    }
}
