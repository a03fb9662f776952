import Foundation

/// Progress of a long CLI job on standard error: a bar on a terminal, a line per 10 % otherwise.
final class DemoProgress: @unchecked Sendable {
    private let label: String
    private let unit: String
    private let enabled: Bool
    private var isStarted = false
    private let isTTY: Bool
    private var total = 0
    private var lastDecile = -1
    private var started = Date()

    init(label: String, enabled: Bool, unit: String = "детей") {
        self.label = label
        self.unit = unit
        self.enabled = enabled
        self.isTTY = isatty(2) == 1
    }

    var isEnabled: Bool { enabled }

    func start(total: Int, done: Int) {
        isStarted = true
        self.total = total
        started = Date()
        if done > 0 && enabled { write("\(label): продолжение с \(done) из \(total)\n") }
        advance(to: done)
    }

    func advance(to done: Int) {
        guard enabled, total > 0 else { return }
        let fraction = Double(done) / Double(total)
        let seconds = Int(Date().timeIntervalSince(started))
        if isTTY {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            write("\r\(label): [\(bar)] \(Int(fraction * 100))% \(done) из \(total) \(unit), \(seconds) с")
        } else {
            let decile = Int(fraction * 10)
            if decile != lastDecile {
                lastDecile = decile
                write("\(label): \(decile * 10)% (\(done) из \(total) \(unit), \(seconds) с)\n")
            }
        }
    }

    /// A callback for services that report (done, total): starts the bar at the first report.
    func report(_ done: Int, _ total: Int) {
        if !isStarted { start(total: total, done: 0) }
        advance(to: done)
    }

    func finish() {
        if enabled && isTTY { write("\n") }
    }

    private func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
