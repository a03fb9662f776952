import CSQLiteShim
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO
import Vapor
import VaporCSQLite

/// Direct SQLite connections for the enrollment hot path, beside the ORM's pool on the same file and the
/// same SQLite library (two copies of SQLite in one process would not see each other's file locks).
///
/// The pool runs every statement on a thread of the I/O thread pool and comes back to an event loop: two
/// thread hops per statement, which dominate a short statement and, inside SQLite's single write
/// transaction, make every other writer wait for them. Here a statement runs at once on the calling thread,
/// from a cache of prepared statements: reads on a few reader connections (WAL lets them read while one
/// writes), the write transaction on one writer connection behind the write gate. The statements that may
/// wait — `BEGIN IMMEDIATE` for another writer, `COMMIT` for the disk — run on a thread of the writer's own,
/// so they never hold up an event loop or need a thread of the I/O pool (whose threads may all be spinning in
/// SQLiteNIO's busy handler, waiting for this very transaction to end). Durability is SQLite's default
/// (`synchronous=FULL`), as on the pool's connections.
final class SQLiteDirect: @unchecked Sendable {
    /// One connection with its prepared statements; every use holds its lock.
    final class Connection: @unchecked Sendable {
        let handle: OpaquePointer
        let lock = NIOLock()
        private var statements: [String: OpaquePointer] = [:]

        init(path: String, busyTimeoutMS: Int32) throws {
            var db: OpaquePointer?
            let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE
            let rc = sqlite_nio_sqlite3_open_v2(path, &db, flags, nil)
            guard rc == SQLITE_OK, let db else {
                if let db { sqlite_nio_sqlite3_close(db) }
                throw DirectSQLiteError(code: rc, message: "cannot open \(path)")
            }
            handle = db
            sqlite_nio_sqlite3_busy_timeout(db, busyTimeoutMS)
            // Plans that do not depend on bound values: otherwise SQLite prepares a join filtered by a bound
            // value again on every execution, and the statement cache saves nothing.
            _ = navigator_sqlite_enable_qpsg(UnsafeMutableRawPointer(db))
            do {
                _ = try run("PRAGMA foreign_keys = ON", [])
                _ = try run("PRAGMA mmap_size = 1073741824", [])
                // Savepoint and statement journals (one savepoint per application of a group commit) in memory,
                // not in temporary files: they only ever serve a rollback inside the open transaction.
                _ = try run("PRAGMA temp_store = MEMORY", [])
            } catch {
                sqlite_nio_sqlite3_close(db)
                throw error
            }
        }

        /// Runs one statement with its binds; the rows as column names and values. The caller holds the lock.
        func run(_ sql: String, _ binds: [SQLiteData]) throws -> (columns: [String], rows: [[SQLiteData]]) {
            let stmt = try statement(sql)
            defer {
                sqlite_nio_sqlite3_reset(stmt)
                sqlite_nio_sqlite3_clear_bindings(stmt)
            }
            for (i, b) in binds.enumerated() {
                let at = Int32(i + 1)
                let rc: Int32
                switch b {
                case .blob(let v):
                    rc = v.withUnsafeReadableBytes { sqlite_nio_sqlite3_bind_blob64(stmt, at, $0.baseAddress, UInt64($0.count), directTransient) }
                case .float(let v): rc = sqlite_nio_sqlite3_bind_double(stmt, at, v)
                case .integer(let v): rc = sqlite_nio_sqlite3_bind_int64(stmt, at, Int64(v))
                case .null: rc = sqlite_nio_sqlite3_bind_null(stmt, at)
                case .text(let v): rc = sqlite_nio_sqlite3_bind_text64(stmt, at, v, UInt64(v.utf8.count), directTransient, UInt8(SQLITE_UTF8))
                }
                guard rc == SQLITE_OK else { throw error(rc) }
            }
            let count = sqlite_nio_sqlite3_column_count(stmt)
            var columns: [String] = []
            columns.reserveCapacity(Int(count))
            for i in 0..<count { columns.append(String(cString: sqlite_nio_sqlite3_column_name(stmt, i))) }
            var rows: [[SQLiteData]] = []
            while true {
                let rc = sqlite_nio_sqlite3_step(stmt)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw error(rc) }
                var row: [SQLiteData] = []
                row.reserveCapacity(Int(count))
                for i in 0..<count { row.append(value(stmt, i)) }
                rows.append(row)
            }
            return (columns, rows)
        }

        private func statement(_ sql: String) throws -> OpaquePointer {
            if let s = statements[sql] { return s }
            var stmt: OpaquePointer?
            let rc = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
            guard rc == SQLITE_OK, let stmt else { throw error(rc) }
            // Statements built with varying numbers of values (several notifications) stay few; keep the cache bounded.
            if statements.count >= 256 {
                for s in statements.values { sqlite_nio_sqlite3_finalize(s) }
                statements.removeAll()
            }
            statements[sql] = stmt
            return stmt
        }

        private func value(_ stmt: OpaquePointer, _ i: Int32) -> SQLiteData {
            switch sqlite_nio_sqlite3_column_type(stmt, i) {
            case SQLITE_INTEGER: return .integer(SQLiteInt64(sqlite_nio_sqlite3_column_int64(stmt, i)))
            case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(stmt, i))
            case SQLITE_TEXT:
                guard let p = sqlite_nio_sqlite3_column_text(stmt, i) else { return .null }
                return .text(String(cString: p))
            case SQLITE_BLOB:
                let n = Int(sqlite_nio_sqlite3_column_bytes(stmt, i))
                var buffer = ByteBufferAllocator().buffer(capacity: n)
                if let p = sqlite_nio_sqlite3_column_blob(stmt, i) { buffer.writeBytes(UnsafeRawBufferPointer(start: p, count: n)) }
                return .blob(buffer)
            default: return .null
            }
        }

        private func error(_ rc: Int32) -> DirectSQLiteError {
            DirectSQLiteError(code: rc, message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
        }

        func close() {
            lock.withLockVoid {
                for s in statements.values { sqlite_nio_sqlite3_finalize(s) }
                statements.removeAll()
                sqlite_nio_sqlite3_close_v2(handle)
            }
        }
    }

    let readers: [Connection]
    let writer: Connection
    let gate: WriteGate
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    private let next = NIOLockedValueBox(0)
    /// The writer's own thread, for the statements that may wait.
    private let writerThread = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    init(path: String, readers: Int, gate: WriteGate, eventLoopGroup: any EventLoopGroup, logger: Logger) throws {
        writer = try Connection(path: path, busyTimeoutMS: 10_000)
        self.readers = try (0..<max(1, readers)).map { _ in try Connection(path: path, busyTimeoutMS: 10_000) }
        self.gate = gate
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Reads (and single autocommitted statements) on one of the reader connections.
    var reader: any SQLDatabase {
        let i = next.withLockedValue { n -> Int in
            n = (n + 1) % readers.count
            return n
        }
        return Database(connection: readers[i], eventLoop: eventLoopGroup.any(), logger: logger)
    }

    /// A write waiting for the next transaction of the writer.
    private struct Job: Sendable {
        let body: @Sendable (any SQLDatabase) async throws -> Void
        let done: CheckedContinuation<Void, any Error>
    }

    private let queue = NIOLockedValueBox<(jobs: [Job], running: Bool)>(([], false))

    /// Runs `body`'s statements in a write transaction of the writer connection, atomically: any error rolls
    /// back what `body` wrote, and only that.
    ///
    /// Group commit: the writes that arrive while a transaction is being written wait and then go together
    /// into the next one, each inside its own savepoint, so that one commit — one wait for the disk — serves
    /// all of them. A write that fails is rolled back to its savepoint and gets its own error; the others
    /// commit. A write returns only after the commit that made it durable. The transaction holds the write gate,
    /// so the pool's gated writers and these never interleave.
    func write(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            let start = queue.withLockedValue { q -> Bool in
                q.jobs.append(Job(body: body, done: done))
                if q.running { return false }
                q.running = true
                return true
            }
            if start { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let batch = queue.withLockedValue { q -> [Job] in
                let b = q.jobs
                q.jobs = []
                if b.isEmpty { q.running = false }
                return b
            }
            if batch.isEmpty { return }
            await run(batch)
        }
    }

    /// One transaction for the batch. `BEGIN IMMEDIATE` (which may wait for another writer) and `COMMIT` (which
    /// waits for the disk) run on the writer's own thread, never on an event loop or a thread of Swift's pool;
    /// the jobs' statements run here at once (the transaction holds SQLite's write lock, so they never wait).
    private func run(_ batch: [Job]) async {
        let db = Database(connection: writer, eventLoop: eventLoopGroup.any(), logger: logger)
        let thread = writerThread.next()
        await gate.acquire()
        var results: [Result<Void, any Error>] = []
        results.reserveCapacity(batch.count)
        do {
            try await thread.submit { try self.statement("BEGIN IMMEDIATE") }.get()
            do {
                for job in batch {
                    try statement("SAVEPOINT w")
                    do {
                        try await job.body(db)
                        try statement("RELEASE w")
                        results.append(.success(()))
                    } catch {
                        try statement("ROLLBACK TO w")
                        try statement("RELEASE w")
                        results.append(.failure(error))
                    }
                }
                try await thread.submit { try self.statement("COMMIT") }.get()
            } catch {
                try? statement("ROLLBACK")
                throw error
            }
        } catch {
            await gate.release()
            for job in batch { job.done.resume(throwing: error) }
            return
        }
        await gate.release()
        for (job, result) in zip(batch, results) { job.done.resume(with: result) }
        // A moment with the lock free before the next batch's BEGIN (which queues behind this on the writer's
        // thread): writers on the pool's connections retry the lock in a tight loop, and without this window
        // back-to-back batches would starve them.
        thread.execute { usleep(200) }
    }

    private func statement(_ sql: String) throws {
        try writer.lock.withLock { _ = try writer.run(sql, []) }
    }

    func close() {
        writer.close()
        for r in readers { r.close() }
        writerThread.shutdownGracefully { _ in }
    }

    /// SQLKit over one direct connection.
    struct Database: SQLDatabase {
        let connection: Connection
        let eventLoop: any EventLoop
        let logger: Logger
        var dialect: any SQLDialect { SQLiteDialect() }
        var version: (any SQLDatabaseReportedVersion)? { nil }
        var queryLogLevel: Logger.Level? { nil }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
            do {
                try run(query, onRow)
                return eventLoop.makeSucceededVoidFuture()
            } catch {
                return eventLoop.makeFailedFuture(error)
            }
        }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
            try run(query, onRow)
        }

        private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> ()) throws {
            let (sql, raw) = serialize(query)
            let encoder = SQLiteDataEncoder()
            let binds = try raw.map { try encoder.encode($0) }
            let result = try connection.lock.withLock { try connection.run(sql, binds) }
            guard !result.rows.isEmpty else { return }
            let index = Dictionary(result.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            for values in result.rows { onRow(Row(index: index, columns: result.columns, values: values)) }
        }
    }

    struct Row: SQLRow {
        let index: [String: Int]
        let columns: [String]
        let values: [SQLiteData]
        var allColumns: [String] { columns }
        func contains(column: String) -> Bool { index[column] != nil }
        func decodeNil(column: String) throws -> Bool { index[column].map { values[$0] == .null } ?? true }
        func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
            guard let i = index[column] else { throw DirectSQLiteError(code: SQLITE_ERROR, message: "no column \(column)") }
            return try SQLiteDataDecoder().decode(D.self, from: values[i])
        }
    }
}

extension SQLiteDirect.Row: HotRow {
    private func value(_ c: String) throws -> SQLiteData {
        guard let i = index[c] else { throw MissingColumn(column: c) }
        return values[i]
    }
    /// Any other storage class than the usual one goes through SQLiteKit's decoding.
    private func slow<T: Decodable>(_ c: String, _ t: T.Type) throws -> T? { try decode(column: c, as: T?.self) }

    func string(_ c: String) throws -> String? {
        switch try value(c) {
        case .null: nil
        case .text(let s): s
        default: try slow(c, String.self)
        }
    }
    func int(_ c: String) throws -> Int64? {
        switch try value(c) {
        case .null: nil
        case .integer(let i): Int64(i)
        default: try slow(c, Int64.self)
        }
    }
    func uuid(_ c: String) throws -> UUID? {
        switch try value(c) {
        case .null: return nil
        case .text(let s):
            guard let u = UUID(uuidString: s) else { throw MissingColumn(column: c) }
            return u
        default: return try slow(c, UUID.self)
        }
    }
    func bool(_ c: String) throws -> Bool? {
        switch try value(c) {
        case .null: nil
        case .integer(let i): i != 0
        default: try slow(c, Bool.self)
        }
    }
    func date(_ c: String) throws -> Date? {
        switch try value(c) {
        case .null: nil
        case .float(let d): Date(timeIntervalSince1970: d)
        default: try slow(c, Date.self)
        }
    }
}

/// An error of a direct SQLite connection, with SQLite's (extended) result code.
struct DirectSQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite error \(code): \(message)" }
    /// A UNIQUE or PRIMARY KEY constraint failed.
    var isUniqueViolation: Bool { code == 2067 || code == 1555 }
}

private let directTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

extension Application {
    private struct SQLiteDirectKey: StorageKey { typealias Value = SQLiteDirect }

    /// Set in `configure` on a file SQLite database.
    var sqliteDirect: SQLiteDirect? {
        get { storage[SQLiteDirectKey.self] }
        set { storage[SQLiteDirectKey.self] = newValue }
    }

    /// Where the hot path reads: a direct reader on SQLite, the pool on PostgreSQL.
    var fastSQL: any SQLDatabase { sqliteDirect?.reader ?? db.sql }

    /// Writes of the hot path outside an enrollment transaction (the `Idempotency-Key` records): on SQLite in
    /// the direct writer's next group commit (so they neither wait behind it nor starve it), elsewhere at once.
    func hotWrite(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        if let direct = sqliteDirect { try await direct.write(body) } else { try await body(db.sql) }
    }
}

/// Closes the direct connections when the application stops.
struct SQLiteDirectLifecycle: LifecycleHandler {
    func shutdown(_ application: Application) { application.sqliteDirect?.close() }
}
