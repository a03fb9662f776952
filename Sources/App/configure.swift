import Domain
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import NIOPosix
import NIOSSL
import Vapor

/// Sets the application up from a configuration read once at start-up.
public func configure(_ app: Application, config: AppConfig, clock: AppClock = .system) async throws {
    try await configure(app, config: config, clock: clock, ids: .random)
}

/// The same with the identifiers of new rows given (tests make them predictable).
func configure(_ app: Application, config: AppConfig, clock: AppClock, ids: IDGenerator) async throws {
    app.config = config
    app.clock = clock
    AppMetrics.bootstrap()
    // An own thread pool, larger than the number of database connections: SQLite's busy handler waits on
    // a pool thread, and the connection holding the lock must always find a free thread to finish.
    app.threadPool = NIOThreadPool(numberOfThreads: max(8, System.coreCount * 4))

    switch config.database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
    case .postgres(let url):
        var pg = try SQLPostgresConfiguration(url: url)
        pg.searchPath = nil
        app.databases.use(.postgres(configuration: pg, maxConnectionsPerEventLoop: config.databasePoolSize,
                                    connectionPoolTimeout: .seconds(30), sqlLogLevel: .trace), as: .psql)
    }
    app.migrations.add(Migrations.all)
    app.writeGate = WriteGate(enabled: config.database.kind == .sqlite)
    if case .sqlite(let path) = config.database {
        // WAL lets readers work while one writer writes; the setting persists in the file.
        _ = try await (app.db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").all()
        if path != ":memory:" && !path.hasPrefix("file::memory:") {
            app.sqliteDirect = try SQLiteDirect(path: path, readers: max(2, System.coreCount), gate: app.writeGate,
                                                eventLoopGroup: app.eventLoopGroup, logger: app.logger)
            app.lifecycle.use(SQLiteDirectLifecycle())
        }
    }

    app.views.use(.leaf)
    app.leaf.configuration.rootDirectory = app.directory.viewsDirectory
    app.leaf.cache.isEnabled = app.environment.isRelease
    app.routes.defaultMaxBodySize = "1mb"
    app.http.server.configuration.serverName = nil

    let dummy = try await app.threadPool.runIfActive { try Bcrypt.hash(Tokens.random(), cost: config.bcryptCost) }
    app.authService = AuthService(config: config, clock: clock, dummyHash: dummy)
    if config.database.kind == .postgres && config.applyBatchSize > 0 {
        app.authService.tokenQueue = BatchQueue(runners: config.applyBatchRunners, maxBatch: config.applyBatchSize)
    }
    _ = app.catalogStore  // created once here; requests only read it
    let store = Store(kind: config.database.kind, databases: app.databases, eventLoopGroup: app.eventLoopGroup, logger: app.logger,
                      gate: app.writeGate, direct: app.sqliteDirect, threadPool: app.threadPool)
    app.navigator = try NavigatorServices(store: store, config: config, clock: clock, ids: ids, auth: app.authService, catalogStore: app.catalogStore)
    _ = app.searchCache

    app.middleware = Middlewares()
    app.middleware.use(RequestLogMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(AppErrorMiddleware())
    app.middleware.use(MethodNotAllowedMiddleware())
    app.middleware.use(StaticFilesMiddleware(files: FileMiddleware(publicDirectory: app.directory.publicDirectory)))
    app.middleware.use(InputSanityMiddleware())
    app.middleware.use(AuthenticationMiddleware())
    app.middleware.use(CSRFMiddleware())
    app.middleware.use(IdempotencyMiddleware())

    app.asyncCommands.use(NavigatorServeCommand(), as: "serve", isDefault: true)
    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(VerifyCommand(), as: "verify")
    app.asyncCommands.use(PeriodCommand(), as: "period")
    app.asyncCommands.use(CloseMonthCommand(), as: "close-month")
    app.asyncCommands.use(BenchCloseSetupCommand(), as: "bench-close-setup")
    app.asyncCommands.use(BenchCloseBaselineCommand(), as: "bench-close-baseline")
    app.asyncCommands.use(CertificatesCommand(), as: "certificates")
    app.asyncCommands.use(EnrollmentsCommand(), as: "enrollments")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(BenchSearchCommand(), as: "bench-search")
    app.asyncCommands.use(BenchEnrollSetupCommand(), as: "bench-enroll-setup")

    try routes(app)
}
